// The board's filters: folded on a phone (results first), unfolded on a wide screen.
// Without this script they stay folded, one tap away (a <details>).
{
  const filters = document.getElementById("board-filters");
  if (filters) {
    const wide = window.matchMedia("(min-width: 760px)");
    const follow = () => { filters.open = wide.matches; };
    follow();
    wide.addEventListener("change", follow);
  }
}
