import type { Metadata } from 'next';
import { PageTitle } from '../../i18n/T';
import { LoginForm } from '../../components/LoginForm';

export const metadata: Metadata = { title: 'Log in' };

export default function LoginPage() {
  return (
    <div className="narrow">
      <PageTitle k="pageTitle.logIn" />
      <LoginForm />
    </div>
  );
}
