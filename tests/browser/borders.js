// The contrast of every enabled button's border against the colour behind the button (WCAG
// 1.4.11 asks 3:1); a transparent border, or none, counts the button's own background instead.
// Evaluated by test_accessibility.py as a function: returns "button text: ratio" for each
// button under 3:1.
() => {
  function rgba(text) {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(',').map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function luminance([r, g, b]) {
    const c = [r, g, b].map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function ratio(a, b) {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }
  function behind(element) {
    for (let e = element.parentElement; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  }
  const found = [];
  for (const button of document.querySelectorAll('button:not([disabled]), a.button')) {
    if (!button.offsetParent) continue;
    const style = getComputedStyle(button);
    const back = behind(button);
    let edge = rgba(style.borderTopColor);
    if (parseFloat(style.borderTopWidth) === 0 || edge[3] === 0) edge = rgba(style.backgroundColor);
    const r = ratio(edge, back);
    if (r < 3) found.push(`${button.textContent.trim().slice(0, 40)}: ${r.toFixed(2)}`);
  }
  return found;
}
