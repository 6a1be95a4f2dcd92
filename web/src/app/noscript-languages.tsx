// Without JavaScript nothing can switch the language, so the explanation above stays in
// English and each interface language gets one line pointing to it (plain HTML, no script).

const LINES = [
  {
    lang: 'es',
    dir: 'ltr',
    text: 'OnionChat necesita JavaScript. Elija el nivel de seguridad «Más seguro» (Safer) en el Navegador Tor y recargue la página; la explicación completa está arriba, en inglés.',
  },
  {
    lang: 'ru',
    dir: 'ltr',
    text: 'OnionChat нужен JavaScript. Выберите в Tor Browser уровень безопасности «Более безопасный» (Safer) и перезагрузите страницу; подробное объяснение выше, на английском.',
  },
  {
    lang: 'zh-Hans',
    dir: 'ltr',
    text: 'OnionChat 需要 JavaScript。请在 Tor 浏览器中将安全级别设为“更安全”（Safer），然后重新加载本页；完整说明见上方英文。',
  },
  {
    lang: 'fa',
    dir: 'rtl',
    text: 'OnionChat به جاوااسکریپت نیاز دارد. در مرورگر تور سطح امنیت «امن‌تر» (Safer) را انتخاب کنید و صفحه را دوباره بارگذاری کنید؛ توضیح کامل در بالا به زبان انگلیسی آمده است.',
  },
  {
    lang: 'ar',
    dir: 'rtl',
    text: 'يحتاج OnionChat إلى جافاسكربت. اختر مستوى الأمان «أكثر أمانًا» (Safer) في متصفح تور ثم أعد تحميل الصفحة؛ الشرح الكامل أعلاه باللغة الإنجليزية.',
  },
] as const;

export function NoscriptElsewhere() {
  return (
    <ul className="noscript-languages">
      {LINES.map((line) => (
        <li key={line.lang} lang={line.lang} dir={line.dir}>
          {line.text}
        </li>
      ))}
    </ul>
  );
}
