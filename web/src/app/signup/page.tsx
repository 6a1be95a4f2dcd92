import type { Metadata } from 'next';
import { SignupForm } from '../../components/SignupForm';

export const metadata: Metadata = { title: 'Create account' };

export default function SignupPage() {
  return (
    <div className="narrow">
      <SignupForm />
    </div>
  );
}
