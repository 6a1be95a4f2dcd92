import type { Metadata } from 'next';
import { PageTitle } from '../../i18n/T';
import { SignupForm } from '../../components/SignupForm';

export const metadata: Metadata = { title: 'Create account' };

export default function SignupPage() {
  return (
    <div className="narrow">
      <PageTitle k="pageTitle.signUp" />
      <SignupForm />
    </div>
  );
}
