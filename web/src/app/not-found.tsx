import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <div className="narrow">
      <div className="card">
        <h1>Page not found</h1>
        <p className="lead">There is nothing at this address.</p>
        <p>
          <Link href="/" className="button">
            Go to the start page
          </Link>
        </p>
      </div>
    </div>
  );
}
