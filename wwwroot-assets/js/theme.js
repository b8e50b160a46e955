// Remembers the light/dark choice in a cookie that the server reads when it renders the next page, so the page
// arrives in the chosen theme (no flash of the other one) and the choice survives a reload or a new circuit.
export function remember(dark) {
  document.cookie = `portal-theme=${dark ? "dark" : "light"}; path=/; max-age=31536000; samesite=lax`;
}
