"""What the class report and a player's playthrough page share: colours and the stylesheet, so
the two pages look alike in a browser and on paper; and each page's own print layout
(`REPORT_STYLE`: the summary alone on the first page; `PLAYTHROUGH_STYLE`: the whole page on
one sheet of A4 or Letter). tests/classroom/test_printed_pages.py prints both with headless
Chromium and counts the pages."""

# Colour-blind-safe colours (Okabe-Ito) for responses, in the order they are met.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
NO_RESPONSE = "#999999"

STYLE = """
body { font: 16px/1.5 Georgia, 'Times New Roman', serif; color: #1a1a1a; background: #fff;
       max-width: 58rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.9rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #1a1a1a; padding-bottom: 0.2rem;
     margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 0.3rem; }
.meta { color: #444; margin-top: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; }
.figure { border: 1px solid #bbb; border-radius: 6px; padding: 0.6rem 1rem; min-width: 8rem; }
.figure b { display: block; font-size: 1.6rem; }
table { border-collapse: collapse; margin: 0.4rem 0 0.8rem; }
th, td { text-align: left; padding: 0.2rem 0.9rem 0.2rem 0; vertical-align: top; }
td.num, th.num { text-align: right; }
.legend span { display: inline-block; margin-right: 1.2rem; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; margin-right: 0.3rem;
          vertical-align: -0.1rem; border: 1px solid #333;
          print-color-adjust: exact; -webkit-print-color-adjust: exact; }
svg { max-width: 100%; height: auto; }
svg text { font: 13px Georgia, serif; fill: #1a1a1a; }
.point, .meter, .ending { break-inside: avoid; page-break-inside: avoid; }
.note { color: #444; font-size: 0.95rem; }
ol.questions li { margin-bottom: 0.3rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section { break-inside: auto; }
}
"""

# The class report: on screen, the endings and the early leavers side by side, a decision's two
# tables side by side, the meters' charts side by side. On paper, a smaller type, and the
# summary ("where the class split") alone on the first page, the details from the second.
REPORT_STYLE = """
.pair, .tables, .meters { display: flex; flex-wrap: wrap; gap: 0 2.5rem; align-items: flex-start; }
.pair > section { flex: 1 1 20rem; }
.pair h2 { margin-top: 1.6rem; }
.meters > .meter { flex: 0 1 24rem; }
svg text.head { font-style: italic; fill: #444; }
@page { margin: 12mm 14mm; }
@media print {
  body { font-size: 10pt; line-height: 1.35; }
  h1 { font-size: 17pt; margin: 0 0 2pt; }
  h2 { font-size: 12.5pt; margin: 12pt 0 4pt; }
  h3 { font-size: 10.5pt; margin: 8pt 0 1pt; }
  p { margin: 2pt 0 4pt; }
  .meta { margin-bottom: 6pt; }
  .figures { gap: 5pt; flex-wrap: nowrap; }
  .figure { padding: 2pt 6pt; min-width: 0; flex: 1 1 0; font-size: 8.5pt; line-height: 1.2; }
  .figure b { font-size: 14pt; }
  .note { font-size: 9pt; }
  .legend { margin: 2pt 0; }
  svg { max-width: 100%; height: auto; }
  table { margin: 2pt 0 4pt; font-size: 9.5pt; }
  th, td { padding: 0 8pt 0 0; }
  .summary { break-after: page; page-break-after: always; }
  .pair { flex-wrap: nowrap; gap: 0 8mm; }
  .pair > section { flex: 1 1 0; }
  .pair h2 { margin-top: 12pt; }
  .tables, .meters { gap: 0 8mm; }
  .tables { flex-wrap: nowrap; }
  .tables table { flex: 0 0 auto; }
  .tables table + table { flex: 1 1 auto; }
  .meters > .meter { flex: 0 0 calc(50% - 4mm); }
  .point h3, .meter h3 { break-after: avoid; page-break-after: avoid; }
  .groups { columns: 2; column-gap: 8mm; }
  .questions { break-inside: avoid; page-break-inside: avoid; }
  ol.questions { margin: 2pt 0 6pt; padding-left: 1.4em; }
  ol.questions li { margin-bottom: 1pt; }
}
"""

# A player's playthrough page. On paper it is one sheet: a smaller type; at the top, in two
# columns, the meter chart beside what happened, and how the player responded beside the
# questions for discussion (whatever else the page holds keeps its place, at full width); then
# the choices in two columns, each one's feedback and changes run on after it.
PLAYTHROUGH_STYLE = """
@page { margin: 6mm 8mm; }
@media print {
  body { display: grid; grid-template-columns: 1fr 1fr; grid-auto-flow: row dense;
         column-gap: 6mm; align-items: start; font-size: 8pt; line-height: 1.16;
         orphans: 2; widows: 2; }
  body > * { grid-column: 1 / -1; }
  body > section.chart, body > section.responses { grid-column: 1; }
  body > section.debrief, body > section.questions { grid-column: 2; }
  h1 { font-size: 14pt; margin: 0; }
  h2 { font-size: 10pt; margin: 5pt 0 2pt; padding-bottom: 1pt; border-bottom-width: 1px;
       break-after: avoid; page-break-after: avoid; }
  p { margin: 0 0 2pt; }
  .meta { margin: 0 0 2pt; }
  svg { width: 100%; height: auto; overflow: visible; }
  section.chart svg text { font-size: 15px; }
  table { margin: 0; }
  th, td { padding: 0 8pt 0 0; }
  section.steps ol { columns: 2; column-gap: 6mm; margin: 0; padding-left: 1.6em; }
  section.steps li { margin-bottom: 2pt; }
  section.steps li p { display: inline; margin: 0; }
  section.steps li p::before { content: " "; }
  section.steps li p:first-of-type::before { content: " \\2192  "; }
  section.steps li p.note::before { content: " · "; }
  section.steps .note { font-size: 8pt; }
  ol.questions { margin: 0; padding-left: 1.6em; }
  ol.questions li { margin-bottom: 0; }
}
"""
