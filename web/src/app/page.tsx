import { Landing } from '../components/Landing';

export default function HomePage() {
  return <Landing />;
}
