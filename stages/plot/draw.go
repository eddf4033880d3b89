package plot

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure size: wide enough for five scenario groups with readable labels.
const (
	width  = 8 * vg.Inch
	height = 4.5 * vg.Inch
)

// okabeIto is the colour-blind-safe palette of Okabe and Ito (2008),
// ordered so the first colours contrast most on white (yellow last).
var okabeIto = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0x00, 0x00, 0x00, 0xFF}, // black
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
}

// seriesColor is a series' colour: the backend's palette entry (the same
// in every figure), or a grey shade for the k-th of n tiers.
func seriesColor(c chart, k int, name string) color.Color {
	if c.Greys {
		n := max(len(c.Series)-1, 1)
		v := uint8(40 + 170*k/n)
		return color.NRGBA{v, v, v, 0xFF}
	}
	i, ok := c.Colors[name]
	if !ok {
		i = k
	}
	return okabeIto[i%len(okabeIto)]
}

// shapes are filled markers, one per backend beside its colour (so a
// reader without colour still tells backends apart).
var shapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.SquareGlyph{},
	draw.TriangleGlyph{}, draw.RingGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}}

// seriesShape is the backend's marker, fixed like its colour.
func seriesShape(c chart, k int, name string) draw.GlyphDrawer {
	i, ok := c.Colors[name]
	if !ok {
		i = k
	}
	return shapes[i%len(shapes)]
}

// headroom is the fraction added above the highest bar, whisker or point
// so that nothing touches the frame.
const headroom = 0.08

// newPlot builds the gonum plot of a chart. The legend is drawn by
// render, beside the axes, never over the data.
func newPlot(c chart) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = c.Title
	p.X.Label.Text = c.XLabel
	p.Y.Label.Text = c.YLabel
	p.Legend.Top = true
	g := plotter.NewGrid()
	if !c.Scatter {
		g.Vertical.Width = 0 // a line through each bar group helps nobody
	}
	p.Add(g)
	if c.Scatter {
		return p, addScatter(p, c)
	}
	return p, addBars(p, c)
}

// addBars draws one bar per category and series, side by side, with CI
// whiskers; missing values get no bar and an "n/a" mark.
func addBars(p *plot.Plot, c chart) error {
	n := len(c.Series)
	if n == 0 || len(c.Cats) == 0 {
		p.Title.Text += " - no data"
		return nil
	}
	// Bars of one category take 80% of its width, so groups stay apart.
	w := vg.Points(math.Min(24, 290/float64(n*len(c.Cats))))
	for k, s := range c.Series {
		vals := make(plotter.Values, len(s.Val))
		for i, v := range s.Val {
			if !math.IsNaN(v) {
				vals[i] = v
			}
		}
		bc, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return fmt.Errorf("%s: %w", c.ID, err)
		}
		bc.LineStyle.Width = 0
		bc.Color = seriesColor(c, k, s.Name)
		bc.Offset = w * vg.Length(float64(k)-float64(n-1)/2)
		p.Add(bc, &whiskers{offset: bc.Offset, val: s.Val, lo: s.Lo, hi: s.Hi})
		p.Legend.Add(s.Name, bc)
	}
	p.NominalX(c.Cats...)
	// Half a category of room on each side, and costs start at zero (an
	// all-n/a figure would otherwise get a -1..1 axis).
	p.X.Min, p.X.Max = -0.5, float64(len(c.Cats))-0.5
	p.Y.Min = 0
	if p.Y.Max <= 0 {
		p.Y.Max = 1
	}
	p.Y.Max *= 1 + headroom
	if len(c.Cats) > 3 {
		p.X.Tick.Label.Rotation = math.Pi / 8
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	if c.missing() > 0 {
		p.Title.Text += " - n/a: not measured"
	}
	return nil
}

// whiskers draws the CI of each bar of one series and "n/a" where the
// value is missing. It sits at the bar chart's canvas offset, which data
// coordinates cannot express.
type whiskers struct {
	offset      vg.Length
	val, lo, hi []float64
}

// Plot implements plot.Plotter.
func (b *whiskers) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	ls := plotter.DefaultLineStyle
	ts := text.Style{Color: ls.Color, Font: plot.DefaultFont, Handler: plt.Title.TextStyle.Handler,
		XAlign: draw.XCenter, YAlign: draw.YBottom}
	ts.Font.Size = vg.Points(8)
	for i, v := range b.val {
		x := trX(float64(i)) + b.offset
		if math.IsNaN(v) {
			c.FillText(ts, vg.Point{X: x, Y: trY(0) + vg.Points(2)}, "n/a")
			continue
		}
		if math.IsNaN(b.lo[i]) || math.IsNaN(b.hi[i]) {
			continue
		}
		lo, hi := trY(b.lo[i]), trY(b.hi[i])
		cap := vg.Points(3)
		c.StrokeLine2(ls, x, lo, x, hi)
		c.StrokeLine2(ls, x-cap, lo, x+cap, lo)
		c.StrokeLine2(ls, x-cap, hi, x+cap, hi)
	}
}

// DataRange implements plot.DataRanger so the axes include the CIs.
func (b *whiskers) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = 0, float64(len(b.val)-1), 0, 0
	for i, v := range b.val {
		for _, y := range []float64{v, b.hi[i]} {
			if !math.IsNaN(y) && y > ymax {
				ymax = y
			}
		}
	}
	return
}

// addScatter draws one glyph per cell, one series per backend, with CI
// crosses in both axes.
func addScatter(p *plot.Plot, c chart) error {
	if len(c.Series) == 0 {
		p.Title.Text += " - no data (n/a)"
		return nil
	}
	pl := &placer{series: c.Series}
	for k, s := range c.Series {
		var xys plotter.XYs
		for i := range s.X {
			if !math.IsNaN(s.X[i]) && !math.IsNaN(s.Val[i]) {
				xys = append(xys, plotter.XY{X: s.X[i], Y: s.Val[i]})
			}
		}
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return fmt.Errorf("%s: %w", c.ID, err)
		}
		sc.GlyphStyle.Color = seriesColor(c, k, s.Name)
		sc.GlyphStyle.Shape = seriesShape(c, k, s.Name)
		sc.GlyphStyle.Radius = vg.Points(4)
		p.Add(&crosses{s: s, labels: pl}, sc) // markers over their CI lines
		p.Legend.Add(s.Name, sc)
	}
	// Room for the labels right of the points and above the highest.
	dx := p.X.Max - p.X.Min
	if dx <= 0 {
		dx = math.Abs(p.X.Max) + 1
	}
	p.X.Min -= 0.05 * dx
	p.X.Max += 0.18 * dx
	dy := p.Y.Max - p.Y.Min
	if dy <= 0 {
		dy = math.Abs(p.Y.Max) + 1
	}
	p.Y.Min = math.Max(0, p.Y.Min-0.08*dy)
	p.Y.Max += 2 * headroom * dy
	return nil
}

// crosses draws each point's CI in x and in y, and its label.
type crosses struct {
	s      series
	labels *placer
}

// Plot implements plot.Plotter.
func (x *crosses) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	ls := plotter.DefaultLineStyle
	s := x.s
	for i := range s.X {
		if math.IsNaN(s.X[i]) || math.IsNaN(s.Val[i]) {
			continue
		}
		px, py := trX(s.X[i]), trY(s.Val[i])
		if !math.IsNaN(s.Lo[i]) && !math.IsNaN(s.Hi[i]) {
			c.StrokeLine2(ls, px, trY(s.Lo[i]), px, trY(s.Hi[i]))
		}
		if !math.IsNaN(s.XLo[i]) && !math.IsNaN(s.XHi[i]) {
			c.StrokeLine2(ls, trX(s.XLo[i]), py, trX(s.XHi[i]), py)
		}
	}
	x.labels.place(c, plt, s)
}

// placer puts point labels where they overlap no marker and no other
// label when it can: it tries eight positions around each point in a
// fixed order (deterministic), against every marker of the chart and the
// labels already placed.
type placer struct {
	series []series
	taken  []vg.Rectangle
	init   bool
}

func (p *placer) place(c draw.Canvas, plt *plot.Plot, s series) {
	trX, trY := plt.Transforms(&c)
	ts := text.Style{Color: color.Black, Font: plot.DefaultFont, Handler: plt.Title.TextStyle.Handler, XAlign: draw.XLeft, YAlign: draw.YBottom}
	ts.Font.Size = vg.Points(8)
	r := vg.Points(5)
	if !p.init { // every marker of the chart is an obstacle
		p.init = true
		for _, o := range p.series {
			for i := range o.X {
				if !math.IsNaN(o.X[i]) && !math.IsNaN(o.Val[i]) {
					x, y := trX(o.X[i]), trY(o.Val[i])
					p.taken = append(p.taken, vg.Rectangle{Min: vg.Point{X: x - r, Y: y - r}, Max: vg.Point{X: x + r, Y: y + r}})
				}
			}
		}
	}
	for i := range s.X {
		if i >= len(s.Labels) || math.IsNaN(s.X[i]) || math.IsNaN(s.Val[i]) {
			continue
		}
		x, y := trX(s.X[i]), trY(s.Val[i])
		w, h := ts.Width(s.Labels[i]), ts.Height(s.Labels[i])
		gap := vg.Points(6)
		cands := []vg.Point{{X: x + gap, Y: y + 1}, {X: x + gap, Y: y - h}, {X: x - gap - w, Y: y + 1}, {X: x - gap - w, Y: y - h},
			{X: x - w/2, Y: y + gap}, {X: x - w/2, Y: y - gap - h}, {X: x + gap, Y: y + h}, {X: x + gap, Y: y - 2*h}}
		best := cands[0]
		for _, pt := range cands {
			b := vg.Rectangle{Min: pt, Max: vg.Point{X: pt.X + w, Y: pt.Y + h}}
			if b.Min.X < c.Min.X || b.Max.X > c.Max.X || b.Min.Y < c.Min.Y || b.Max.Y > c.Max.Y || overlapsAny(b, p.taken) {
				continue
			}
			best = pt
			break
		}
		p.taken = append(p.taken, vg.Rectangle{Min: best, Max: vg.Point{X: best.X + w, Y: best.Y + h}})
		c.FillText(ts, best, s.Labels[i])
	}
}

func overlapsAny(b vg.Rectangle, rs []vg.Rectangle) bool {
	for _, r := range rs {
		if b.Min.X < r.Max.X && r.Min.X < b.Max.X && b.Min.Y < r.Max.Y && r.Min.Y < b.Max.Y {
			return true
		}
	}
	return false
}

// DataRange implements plot.DataRanger.
func (x *crosses) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	s := x.s
	for i := range s.X {
		if math.IsNaN(s.X[i]) || math.IsNaN(s.Val[i]) {
			continue
		}
		for _, v := range []float64{s.X[i], s.XLo[i], s.XHi[i]} {
			if !math.IsNaN(v) {
				xmin, xmax = math.Min(xmin, v), math.Max(xmax, v)
			}
		}
		for _, v := range []float64{s.Val[i], s.Lo[i], s.Hi[i]} {
			if !math.IsNaN(v) {
				ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
			}
		}
	}
	return
}

// render draws a chart in one format ("png" or "svg"): the axes on the
// left, the legend in its own column on the right, so it never covers data.
func render(c chart, format string) ([]byte, error) {
	p, err := newPlot(c)
	if err != nil {
		return nil, err
	}
	cv, err := draw.NewFormattedCanvas(width, height, format)
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %w", c.ID, format, err)
	}
	dc := draw.New(cv)
	leg := p.Legend
	p.Legend = plot.NewLegend() // drawn below, outside the axes
	area, pad := dc, vg.Points(8)
	r := leg.Rectangle(dc)
	hasLegend := r.Max.X > r.Min.X
	if hasLegend {
		area.Max.X -= r.Max.X - r.Min.X + 2*pad
	}
	// The title is centred over the axes: wrapped to their width, a long
	// one stays on the canvas.
	p.Title.Text = wrapText(p.Title.TextStyle, p.Title.Text, area.Max.X-area.Min.X)
	if hasLegend {
		lc := dc
		lc.Min.X = area.Max.X + pad
		lc.Max.Y -= p.Title.TextStyle.Height(p.Title.Text) + pad // below the title
		leg.Left, leg.Top = true, true
		leg.Padding = vg.Points(3)
		leg.Draw(lc)
	}
	p.Draw(area)
	var b bytes.Buffer
	if _, err := cv.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("%s.%s: %w", c.ID, format, err)
	}
	return b.Bytes(), nil
}

// wrapText breaks s into lines at spaces so that each fits in width (a
// single word longer than width keeps its own line).
func wrapText(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch try := line + " " + w; {
		case line == "":
			line = w
		case sty.Width(try) <= width:
			line = try
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return strings.Join(append(lines, line), "\n")
}
