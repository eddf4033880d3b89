package plot

import (
	"encoding/xml"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"

	"github.com/tr119/tr119/stages/internal/reporttest"
)

// box is an axis-aligned rectangle in SVG user units, y up (gonum's SVGs
// draw in a y-up group).
type box struct{ x0, y0, x1, y1 float64 }

func (b box) overlaps(o box) bool { return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1 }

// svgText is one text element with its estimated box.
type svgText struct {
	s   string
	box box
}

// svgShapes are the parts of a figure the layout test reads.
type svgShapes struct {
	w, h          float64
	texts         []svgText
	filled        []box // bars and filled markers
	strokes       []box // black lines: whiskers, CI crosses, axis ticks
	grid          []box
	axis          box // the y axis line
	rotatedLabels int
}

var numRE = regexp.MustCompile(`-?[0-9.]+`)

func pathBox(d string) box {
	ns := numRE.FindAllString(d, -1)
	b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for i := 0; i+1 < len(ns); i += 2 {
		x, _ := strconv.ParseFloat(ns[i], 64)
		y, _ := strconv.ParseFloat(ns[i+1], 64)
		b.x0, b.x1 = math.Min(b.x0, x), math.Max(b.x1, x)
		b.y0, b.y1 = math.Min(b.y0, y), math.Max(b.y1, y)
	}
	return b
}

// parseSVG reads gonum's SVG: text positions (x, -y under scale(1,-1)),
// sizes from font-size and the widths from the same fonts gonum drew
// with, paths by style.
func parseSVG(t *testing.T, path string) svgShapes {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var s svgShapes
	rotated := 0
	axisLen := 0.0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range e.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch e.Name.Local {
			case "svg":
				vb := strings.Fields(attr["viewBox"])
				s.w, _ = strconv.ParseFloat(vb[2], 64)
				s.h, _ = strconv.ParseFloat(vb[3], 64)
			case "g":
				if strings.Contains(attr["transform"], "rotate") {
					rotated++
				} else if rotated > 0 {
					rotated++
				}
			case "text":
				var content string
				if err := dec.DecodeElement(&content, &e); err != nil {
					t.Fatal(err)
				}
				if rotated > 0 {
					s.rotatedLabels++
					continue
				}
				x, _ := strconv.ParseFloat(attr["x"], 64)
				y, _ := strconv.ParseFloat(attr["y"], 64)
				size := 10.0
				if m := regexp.MustCompile(`font-size:([0-9.]+)px`).FindStringSubmatch(attr["style"]); m != nil {
					size, _ = strconv.ParseFloat(m[1], 64)
				}
				sty := text.Style{Font: font.From(plot.DefaultFont, vg.Points(size)), Handler: plot.DefaultTextHandler}
				w := float64(sty.Width(content))
				s.texts = append(s.texts, svgText{content, box{x, -y - 0.25*size, x + w, -y + 0.8*size}})
			case "path":
				b, st := pathBox(attr["d"]), attr["style"]
				switch {
				case strings.Contains(st, "fill:#FFFFFF"):
				case strings.Contains(st, "stroke:#808080"):
					s.grid = append(s.grid, b)
				case strings.Contains(st, "stroke:#000000") && strings.Contains(st, "stroke-width:0.5") && b.x0 == b.x1:
					if l := b.y1 - b.y0; l > axisLen {
						axisLen, s.axis = l, b
					}
				case strings.Contains(st, "stroke:#000000"):
					s.strokes = append(s.strokes, b)
				case strings.Contains(st, "fill:#"):
					s.filled = append(s.filled, b)
				}
			}
		case xml.EndElement:
			if e.Name.Local == "g" && rotated > 0 {
				rotated--
			}
		}
	}
	return s
}

// TestFigureLayout checks every figure of the fixture as a reader would
// see it: the legend sits right of the axes and overlaps no bar, marker or
// label; bars, whiskers and markers stay inside the axes (headroom, no
// clipping); the title is above the axes; every text lies on the canvas.
func TestFigureLayout(t *testing.T) {
	t.Run("fixture", func(t *testing.T) { checkLayout(t, runPlot(t)) })
	// The analysis example: 5 backends, 5 scenarios, 25 labelled points.
	ex, err := filepath.Abs("../../examples/analysis/runs.csv")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("example", func(t *testing.T) { checkLayout(t, runPlotOf(t, ex)) })
	// Long backend names widen the legend column: the H100 run's
	// "… - energy not measured for every backend" titles ran off the
	// left edge of the narrower axes.
	t.Run("long names", func(t *testing.T) {
		b, err := os.ReadFile(reporttest.CSV())
		if err != nil {
			t.Fatal(err)
		}
		long := strings.ReplaceAll(string(b), ",onnxruntime-gpu,", ",transformers-gpu-compile-max-autotune,")
		path := filepath.Join(t.TempDir(), "runs.csv")
		if err := os.WriteFile(path, []byte(long), 0o644); err != nil {
			t.Fatal(err)
		}
		checkLayout(t, runPlotOf(t, path))
	})
}

func checkLayout(t *testing.T, dir string) {
	idx := readIndex(t, dir)
	for _, f := range idx.Figures {
		t.Run(f.ID, func(t *testing.T) {
			s := parseSVG(t, filepath.Join(dir, f.SVG))
			right := s.axis.x0
			for _, g := range s.grid {
				right = math.Max(right, g.x1)
			}
			area := box{s.axis.x0, s.axis.y0, right, s.axis.y1}
			const eps = 0.5
			for _, b := range append(append([]box(nil), s.filled...), s.strokes...) {
				switch {
				case b.x0 < s.axis.x0-9: // axis ticks sit left of the axis
					continue
				case b.x0 >= area.x1-eps: // the legend's swatches, in their own column
					continue
				case b.y0 == b.y1 && b.x1-b.x0 > 0.9*(area.x1-area.x0): // the x axis line
					continue
				}
				if b.y1 > area.y1+eps || b.y0 < area.y0-eps || b.x1 > area.x1+eps {
					t.Errorf("shape %+v leaves the axes %+v (clipped or no headroom)", b, area)
				}
			}
			var seenLegend int
			for _, x := range s.texts {
				b := x.box
				if b.x0 < -eps || b.x1 > s.w+eps || b.y0 < -eps || b.y1 > s.h+eps {
					t.Errorf("text %q %+v is off the canvas", x.s, b)
				}
				if (x.s == f.Title || len(x.s) > 12 && strings.Contains(f.Title, x.s)) && b.y0 < area.y1 { // whole or one line
					t.Errorf("title %+v overlaps the axes", b)
				}
				if b.x0 < area.x1 { // the legend is the column right of the axes
					continue
				}
				seenLegend++
				for _, o := range append(append([]box(nil), s.filled...), s.strokes...) {
					if o.x0 >= area.x1-eps {
						continue // the legend's own swatches
					}
					if b.overlaps(o) {
						t.Errorf("legend entry %q %+v covers data %+v", x.s, b, o)
					}
				}
			}
			if seenLegend == 0 {
				t.Errorf("no legend entry right of the axes (right edge %.1f)", area.x1)
			}
		})
	}
}

// TestEveryBackendInScatterAndCaptions: transformers-cpu has no energy,
// so the scatter shows infra cost for every backend (all three present,
// points labelled with their scenario) and its caption says why; every
// figure is numbered and names its source table.
func TestEveryBackendInScatterAndCaptions(t *testing.T) {
	dir := runPlot(t)
	for i, f := range readIndex(t, dir).Figures {
		if f.Number != i+1 || !strings.Contains(f.Caption, "Source: cost_") && !strings.Contains(f.Caption, "Source: stats_cells") {
			t.Errorf("%s: number %d caption %q", f.ID, f.Number, f.Caption)
		}
		if !strings.HasSuffix(f.ID, "_cost_vs_throughput") {
			continue
		}
		if !strings.Contains(f.Caption, "energy is unavailable for transformers-cpu") {
			t.Errorf("%s: caption %q does not name the unmeasured backend", f.ID, f.Caption)
		}
		s := parseSVG(t, filepath.Join(dir, f.SVG))
		labels := map[string]int{}
		for _, x := range s.texts {
			labels[x.s]++
		}
		for _, b := range []string{"onnxruntime-cpu", "onnxruntime-gpu", "transformers-cpu"} {
			if labels[b] == 0 {
				t.Errorf("%s: backend %s missing", f.ID, b)
			}
		}
		if labels["single_short"] != 3 || labels["single_medium"] != 3 {
			t.Errorf("%s: scenario labels %v, want each scenario on 3 points", f.ID, labels)
		}
	}
}
