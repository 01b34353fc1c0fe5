# Sourced by ./gc and .ci/run: installs the pinned Bun (through npm) when it is missing or another version.
BUN_VERSION=1.4.5
if ! command -v bun >/dev/null 2>&1 || [ "$(bun --version)" != "$BUN_VERSION" ]; then
  echo "Installing bun $BUN_VERSION"
  npm install -g "bun@$BUN_VERSION"
fi
