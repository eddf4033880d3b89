package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// num formats a value to 4 significant digits, as the TR119 report prints
// them, without exponents for everyday magnitudes; "n/a" for NaN.
func num(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "n/a"
	case v == 0:
		return "0"
	case a >= 1e4 && a < 1e12:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a < 1e-6:
		return strconv.FormatFloat(v, 'e', 3, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// usd is num with a dollar sign.
func usd(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return "$" + num(v)
}

// pct formats a fraction as a percentage with 3 significant digits.
func pct(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return strconv.FormatFloat(v*100, 'g', 3, 64) + "%"
}

// mult formats a multiple such as 1.56x.
func mult(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.2fx", v)
}

// ci formats a mean with its 95% CI when both ends are known.
func ci(mean, lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return num(mean)
	}
	return fmt.Sprintf("%s [%s, %s]", num(mean), num(lo), num(hi))
}

// pval formats a p-value.
func pval(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	if v < 1e-4 {
		return strconv.FormatFloat(v, 'e', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// tick quotes a name as inline code.
func tick(s string) string { return "`" + s + "`" }

// joinTicks lists names as inline code, "a, b and c".
func joinTicks(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = tick(x)
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
