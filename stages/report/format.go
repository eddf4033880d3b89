package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// num formats a value for people: 3 significant figures, thousands
// separators ("17,800", "0.0475"), no exponent between 1e-4 and 1e15;
// "n/a" for NaN.
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "n/a"
	case v == 0:
		return "0"
	case a < 1e-4 || a >= 1e15:
		m := strconv.FormatFloat(v, 'e', 2, 64) // 1.23e-05
		mant, exp, _ := strings.Cut(m, "e")
		e, _ := strconv.Atoi(exp)
		return fmt.Sprintf("%s×10^%d", mant, e)
	}
	// Round to 3 significant figures, then print without exponent.
	digits := int(math.Floor(math.Log10(a))) + 1
	dec := max(3-digits, 0)
	r := roundSig(v, 3)
	s := strconv.FormatFloat(r, 'f', dec, 64)
	if dec > 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return group(s)
}

// exact formats an input as given (a price, a token count), with
// thousands separators but no rounding.
func exact(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return group(strconv.FormatFloat(v, 'f', -1, 64))
}

// count formats a whole number with thousands separators (n, rows).
func count(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return group(strconv.FormatFloat(math.Round(v), 'f', 0, 64))
}

func roundSig(v float64, sig int) float64 {
	if v == 0 {
		return 0
	}
	p := math.Pow(10, float64(sig-int(math.Floor(math.Log10(math.Abs(v))))-1))
	return math.Round(v*p) / p
}

// group inserts thousands separators into a plain decimal number.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := sign + b.String()
	if hasFrac {
		out += "." + frac
	}
	return out
}

// usd is num with a dollar sign.
func usd(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v < 0:
		return "-$" + num(-v)
	}
	return "$" + num(v)
}

// perK is the scale of request costs: $ per 1,000 requests reads better
// than $0.000131 per request.
const perK = 1000

// usdReq formats a per-request cost as $ per 1,000 requests.
func usdReq(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return usd(v*perK) + " per 1,000 requests"
}

// pct formats a fraction as a percentage with 3 significant digits.
func pct(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return num(v*100) + "%"
}

// mult formats a multiple such as 1.56x.
func mult(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return num(v) + "x"
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
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v < 1e-4:
		return "< 0.0001"
	}
	return strconv.FormatFloat(roundSig(v, 3), 'f', -1, 64)
}

// pIs is "p = 0.0123" or "p < 0.0001" for prose.
func pIs(v float64) string {
	if s := pval(v); strings.HasPrefix(s, "<") {
		return "p " + s
	}
	return "p = " + pval(v)
}

// gib formats a byte count in GiB.
func gib(v float64) string { return num(v/(1<<30)) + " GiB" }

// envValue makes an environment value readable: byte counts in GiB.
func envValue(key, value string) string {
	if strings.HasSuffix(key, "_bytes") {
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			return gib(v) + " (" + count(v) + " bytes)"
		}
	}
	return value
}

// tick quotes a name as inline code.
func tick(s string) string { return "`" + s + "`" }

// joinTicks lists names as inline code, "a, b and c".
func joinTicks(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = tick(x)
	}
	return joinAnd(q)
}

// joinAnd lists phrases as "a, b and c".
func joinAnd(q []string) string { return joinList(q, "and") }

// joinOr lists phrases as "a, b or c".
func joinOr(q []string) string { return joinList(q, "or") }

func joinList(q []string, conj string) string {
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}

// plural is "1 cell" or "3 cells".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(float64(n)) + " " + many
}
