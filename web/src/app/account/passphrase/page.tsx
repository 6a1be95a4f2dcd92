import type { Metadata } from 'next';
import { ChangePassphraseForm } from '../../../components/ChangePassphraseForm';

export const metadata: Metadata = { title: 'Change passphrase' };

export default function ChangePassphrasePage() {
  return (
    <div className="narrow">
      <ChangePassphraseForm />
    </div>
  );
}
