package compare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// MarshalJSON writes NaN fields as null, which encoding/json cannot.
func (m Metric) MarshalJSON() ([]byte, error) {
	f := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	return json.Marshal(map[string]any{"a": f(m.A), "b": f(m.B), "change": f(m.Change), "p": f(m.P), "significant": m.Significant})
}

// WriteJSON writes the result as indented JSON.
func WriteJSON(w io.Writer, r *Result) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode diff: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func num(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	if a := math.Abs(v); a >= 1e4 && a < 1e12 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// String formats a metric as "A -> B (+x.x%, p=…*)"; * marks significance.
func (m Metric) String() string {
	if math.IsNaN(m.A) && math.IsNaN(m.B) {
		return "n/a"
	}
	s := num(m.A) + " -> " + num(m.B)
	if !math.IsNaN(m.Change) {
		s += fmt.Sprintf(" (%+.1f%%", m.Change*100)
		if !math.IsNaN(m.P) {
			s += ", p=" + strconv.FormatFloat(m.P, 'g', 2, 64)
			if m.Significant {
				s += "*"
			}
		}
		s += ")"
	}
	return s
}

// costString is the cost metric, marked when it is infra only.
func (d CellDiff) costString() string {
	if d.CostBasis == "infra" {
		return d.Cost.String() + " infra"
	}
	return d.Cost.String()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (d CellDiff) name() string { return d.Mode + " " + d.Backend + " " + d.Scenario }

// verdict is the closing line shared by the text renderers.
func verdict(r *Result) string {
	switch {
	case r.Regressions > 0:
		var names []string
		for _, d := range r.Cells {
			if d.Regression {
				names = append(names, d.name())
			}
		}
		return fmt.Sprintf("REGRESSION: throughput dropped or cost rose more than %.0f%% in %d cell(s): %s", r.Threshold*100, r.Regressions, strings.Join(names, "; "))
	case !r.Changed:
		return "no change"
	}
	return fmt.Sprintf("changed, no throughput drop or cost rise beyond %.0f%%", r.Threshold*100)
}

// WriteText writes the human form.
func WriteText(w io.Writer, r *Result) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "tr119 diff %s -> %s\n", r.A, r.B)
	fmt.Fprintf(&b, "regression: throughput drop or cost rise > %.0f%%; * = significant (Welch, alpha %g); energy and cost from the cost stage, tier %s\n\n", r.Threshold*100, r.Alpha, dash(r.Tier))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CELL\tN\tTHROUGHPUT tok/s\tENERGY kWh/1M\tCOST $/1M\t")
	for _, d := range r.Cells {
		mark := ""
		if d.Regression {
			mark = "  <- regression"
		}
		fmt.Fprintf(tw, "%s\t%d/%d\t%s\t%s\t%s\t%s\n", d.name(), d.NA, d.NB, d.Throughput, d.Energy, d.costString(), mark)
	}
	tw.Flush()
	for _, x := range []struct {
		label string
		cells []string
	}{{"only in A", r.OnlyA}, {"only in B", r.OnlyB}} {
		if len(x.cells) > 0 {
			fmt.Fprintf(&b, "\n%s: %s\n", x.label, strings.Join(x.cells, ", "))
		}
	}
	if len(r.Env) > 0 {
		b.WriteString("\nenvironment differences:\n")
		for _, e := range r.Env {
			fmt.Fprintf(&b, "  %s: %q -> %q\n", e.Key, e.A, e.B)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", verdict(r))
	_, err := w.Write(b.Bytes())
	return err
}

// WriteMarkdown writes the Markdown form (for a CI comment).
func WriteMarkdown(w io.Writer, r *Result) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "## tr119 diff\n\n`%s` -> `%s`; regression: throughput drop or cost rise > %.0f%%; * = significant (Welch, alpha %g); energy and cost from the cost stage, tier `%s`.\n\n",
		r.A, r.B, r.Threshold*100, r.Alpha, dash(r.Tier))
	b.WriteString("| Mode | Backend | Scenario | n | Throughput (tok/s) | Energy (kWh/1M) | Cost ($/1M) | Regression |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, d := range r.Cells {
		reg := ""
		if d.Regression {
			reg = "**yes**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d/%d | %s | %s | %s | %s |\n", d.Mode, d.Backend, d.Scenario, d.NA, d.NB,
			strings.ReplaceAll(d.Throughput.String(), "*", `\*`), strings.ReplaceAll(d.Energy.String(), "*", `\*`), strings.ReplaceAll(d.costString(), "*", `\*`), reg)
	}
	if len(r.OnlyA)+len(r.OnlyB) > 0 {
		fmt.Fprintf(&b, "\nOnly in A: %s. Only in B: %s.\n", strings.Join(r.OnlyA, ", "), strings.Join(r.OnlyB, ", "))
	}
	if len(r.Env) > 0 {
		b.WriteString("\n### Environment differences\n\n| Key | A | B |\n| --- | --- | --- |\n")
		for _, e := range r.Env {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", e.Key, e.A, e.B)
		}
	}
	fmt.Fprintf(&b, "\n**%s**\n", verdict(r))
	_, err := w.Write(b.Bytes())
	return err
}
