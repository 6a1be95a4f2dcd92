import type { Metadata } from 'next';
import Link from 'next/link';
import { PageTitle, T } from '../i18n/T';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <div className="narrow">
      <div className="card">
        <PageTitle k="pageTitle.notFound" />
        <h1>
          <T k="notFound.title" />
        </h1>
        <p className="lead">
          <T k="notFound.lead" />
        </p>
        <p>
          <Link href="/" className="button">
            <T k="notFound.home" />
          </Link>
        </p>
      </div>
    </div>
  );
}
