// Placeholder until this screen is built (issue 7, in progress).
export default function BoardPage() {
  return <p>BoardPage</p>;
}
