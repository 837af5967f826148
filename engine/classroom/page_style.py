"""What the class report and a player's playthrough page share: colours and the stylesheet, so
the two pages look alike in a browser and on paper."""

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
          vertical-align: -0.1rem; border: 1px solid #333; }
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
