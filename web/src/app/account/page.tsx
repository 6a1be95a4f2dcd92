import type { Metadata } from 'next';
import { PageTitle } from '../../i18n/T';
import { AccountView } from '../../components/AccountView';

export const metadata: Metadata = { title: 'Account' };

export default function AccountPage() {
  return (
    <div className="wide">
      <PageTitle k="pageTitle.account" />
      <AccountView />
    </div>
  );
}
