// Placeholder until this screen is built (issue 7, in progress).
export default function OnboardingPage() {
  return <p>OnboardingPage</p>;
}
