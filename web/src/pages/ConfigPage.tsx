export default function ConfigPage() {
  return <div className="page"><h1>ConfigPage</h1></div>;
}
