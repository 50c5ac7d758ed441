// The language switch keeps the section a page was opened at (/help/errors#mitid): the server never
// sees the part after #, so the links are given it here. Without JavaScript they lead to the page's top.
/* global window, document */
function keepSection() {
  for (const link of document.querySelectorAll('a[data-lang]')) link.hash = window.location.hash;
}
window.addEventListener('hashchange', keepSection);
keepSection();
