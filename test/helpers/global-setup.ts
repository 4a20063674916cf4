// Runs once before all test files. Kept light: each test area checks its own prerequisites and
// fails loudly under CI=true when they are missing.
export default function setup(): void {}
