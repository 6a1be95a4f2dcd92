import type { Metadata } from 'next';
import { PageTitle } from '../../../i18n/T';
import { ChangePassphraseForm } from '../../../components/ChangePassphraseForm';

export const metadata: Metadata = { title: 'Change passphrase' };

export default function ChangePassphrasePage() {
  return (
    <div className="narrow">
      <PageTitle k="pageTitle.changePassphrase" />
      <ChangePassphraseForm />
    </div>
  );
}
