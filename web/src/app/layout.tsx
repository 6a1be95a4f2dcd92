import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { RouteAnnouncerFix } from '../components/RouteAnnouncerFix';
import { SiteHeader } from '../components/SiteHeader';
import './globals.css';
import { KeystoreProvider } from '../hooks/keystore';
import { I18nProvider } from '../i18n/I18nProvider';
import { T } from '../i18n/T';
import { NoscriptElsewhere } from './noscript-languages';

export const metadata: Metadata = {
  title: { default: 'OnionChat', template: '%s · OnionChat' },
  description: 'End-to-end encrypted chat, reachable only as a Tor onion service.',
  applicationName: 'OnionChat',
  referrer: 'no-referrer',
  robots: { index: false, follow: false },
  formatDetection: { telephone: false, email: false, address: false },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f7f5fb' },
    { media: '(prefers-color-scheme: dark)', color: '#131118' },
  ],
};

// With JavaScript off (Tor Browser "Safest"), hide the parts that can't work.
const NO_JS_CSS = '.js-only{display:none!important}';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <noscript>
          <style>{NO_JS_CSS}</style>
        </noscript>
      </head>
      <body>
        <I18nProvider>
          <a className="skip-link" href="#main">
            <T k="layout.skipToContent" />
          </a>
          <KeystoreProvider>
            <RouteAnnouncerFix />
            <SiteHeader />
            <noscript>
              <div className="noscript-wrap">
                <section className="noscript" aria-labelledby="noscript-title">
                  <h2 id="noscript-title">OnionChat needs JavaScript</h2>
                  <p>
                    OnionChat does all of its encryption here, in your browser: your passphrase and your secret keys
                    never leave this page, and the server only stores data it cannot read. That work is done by
                    JavaScript, which Tor Browser&apos;s <strong>Safest</strong> security level turns off.
                  </p>
                  <p>
                    <strong>To use OnionChat:</strong> click the <strong>shield icon</strong> in the Tor Browser
                    toolbar, choose <strong>Settings</strong>, select <strong>Safer</strong> (or{' '}
                    <strong>Standard</strong>), then reload this page.
                  </p>
                  <p>
                    <strong>Why that is reasonably safe:</strong>
                  </p>
                  <ul>
                    <li>
                      At Safer, Tor Browser still turns off the JavaScript JIT compiler and WebAssembly, where most
                      browser exploits live.
                    </li>
                    <li>
                      This site loads nothing from anywhere else: no third-party scripts, no trackers, no external
                      fonts. Every byte comes from this onion address.
                    </li>
                    <li>
                      Safer only blocks JavaScript on sites without HTTPS, and onion sites count as secure, so OnionChat
                      works at that level.
                    </li>
                  </ul>
                  <p>
                    The security level applies to every site you visit, so you can switch back to Safest when you are
                    done.
                  </p>
                  <NoscriptElsewhere />
                </section>
              </div>
            </noscript>
            <main id="main" tabIndex={-1} className="main">
              {children}
            </main>
            <footer className="site-footer">
              <p>
                <T k="layout.footer" />
              </p>
            </footer>
          </KeystoreProvider>
        </I18nProvider>
      </body>
    </html>
  );
}
