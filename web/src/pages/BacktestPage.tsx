export default function BacktestPage() {
  return <div className="page"><h1>BacktestPage</h1></div>;
}
