package stats

import (
	"math"
	"testing"
)

func near(t *testing.T, name string, got, want, relTol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > relTol*math.Abs(want) {
		t.Errorf("%s = %.6g, want %.6g (rel tol %g)", name, got, want, relTol)
	}
}

// Per-scenario prefill on-demand costs ($/1M) recoverable from the TR119
// report. onnxruntime-gpu: all five from 5.2 (single_*) and 8.1
// (batch_*); their mean 0.12784 matches 5.1's 0.1279. transformers-gpu:
// batch_short 0.05846 and batch_medium 0.09046 (8.1), single_long 0.2437
// (5.2), max 0.5642 (8.3); the fifth is 5 * 0.2605 (5.1's mean) minus
// the other four = 0.34588.
var (
	ortGPUPrefill = []float64{0.1445, 0.09832, 0.1529, 0.1212, 0.1223}
	trGPUPrefill  = []float64{0.05846, 0.09046, 0.2437, 0.5642, 0.34588}
)

func TestReportPairwisePrefill(t *testing.T) {
	// Report 10.2, prefill, "onnxruntime-gpu vs transformers-gpu":
	// p = 0.190, d = 0.906, % change +104%.
	st, err := StudentT(ortGPUPrefill, trGPUPrefill)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "student p", st.P, 0.190, 0.01)
	near(t, "df", st.DF, 8, 1e-12)
	near(t, "cohen d", CohensD(ortGPUPrefill, trGPUPrefill), 0.906, 0.005)
}

func TestReportMeanCI(t *testing.T) {
	// Report 10.2: onnxruntime-gpu prefill mean 0.1279, 95% CI
	// [0.1012, 0.1546] with n = 5.
	s, err := Describe(ortGPUPrefill, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "mean", s.Mean, 0.1279, 0.002)
	near(t, "ci low", s.CILow, 0.1012, 0.005)
	near(t, "ci high", s.CIHigh, 0.1546, 0.002)
}

func TestReportOmnibusPValues(t *testing.T) {
	// Report 10.1: prefill F = 8.08 (df 4, 20) -> p = 4.78e-4; generate
	// F = 12.85 -> p = 2.44e-5; Kruskal-Wallis prefill H = 12.78 (4 df)
	// -> p = 0.0124, generate H = 17.33 -> p = 0.00167.
	near(t, "prefill F p", FPValue(8.08, 4, 20), 4.78e-4, 0.01)
	near(t, "generate F p", FPValue(12.85, 4, 20), 2.44e-5, 0.01)
	near(t, "prefill H p", ChiSquaredPValue(12.78, 4), 0.0124, 0.01)
	near(t, "generate H p", ChiSquaredPValue(17.33, 4), 0.00167, 0.01)
}

// R's sleep data (datasets::sleep, extra by group).
var (
	sleep1 = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	sleep2 = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

func TestTTestsAgainstR(t *testing.T) {
	// R: t.test(extra ~ group, data = sleep) gives t = -1.8608,
	// df = 17.776, p-value = 0.07939 (Welch); with var.equal = TRUE,
	// t = -1.8608, df = 18, p-value = 0.07919. R's t is mean1 - mean2;
	// ours is mean(b) - mean(a), so the sign flips.
	w, err := WelchT(sleep1, sleep2)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "welch t", w.T, 1.8608, 1e-4)
	near(t, "welch df", w.DF, 17.776, 1e-4)
	near(t, "welch p", w.P, 0.07939, 1e-3)
	s, err := StudentT(sleep1, sleep2)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "student t", s.T, 1.8608, 1e-4)
	near(t, "student p", s.P, 0.07919, 1e-3)
}

func TestANOVA(t *testing.T) {
	tests := []struct {
		name   string
		groups [][]float64
		f, p   float64
		df1    float64
		df2    float64
	}{
		// By hand: grand mean 3.5, SSB = 3(1.5^2)*2 = 13.5 (df 1),
		// SSW = 2 + 2 = 4 (df 4): F = 13.5; P(F(1,4) > 13.5) = 0.02131.
		{"two groups", [][]float64{{1, 2, 3}, {4, 5, 6}}, 13.5, 0.02131, 1, 4},
		// By hand: means 2, 3, 7; grand 4; SSB = 3(4+1+9) = 42 (df 2);
		// SSW = 2+2+2 = 6 (df 6): F = 21; for df1 = 2 the tail is exact:
		// P(F(2,6) > 21) = (1 + 2*21/6)^(-6/2) = 1/512.
		{"three groups", [][]float64{{1, 2, 3}, {2, 3, 4}, {6, 7, 8}}, 21, 1.0 / 512, 2, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ANOVA(tt.groups)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "F", r.Statistic, tt.f, 1e-9)
			near(t, "p", r.P, tt.p, 1e-3)
			near(t, "df1", r.DF1, tt.df1, 0)
			near(t, "df2", r.DF2, tt.df2, 0)
		})
	}
}

func TestKruskalWallis(t *testing.T) {
	tests := []struct {
		name   string
		groups [][]float64
		h, p   float64
	}{
		// R: kruskal.test(list(x, y, z)) from ?kruskal.test gives
		// chi-squared = 0.77143, df = 2, p-value = 0.68.
		{"R example", [][]float64{{2.9, 3.0, 2.5, 2.6, 3.2}, {3.8, 2.7, 4.0, 2.4}, {2.8, 3.4, 3.7, 2.2, 2.0}}, 0.77143, 0.68},
		// By hand with ties: {1,2,2} {2,3,3}: ranks 1, 3,3 | 3, 5.5,5.5;
		// R = 7, 14; H0 = 12/42*(49/3+196/3) - 21 = 2.3333; tied blocks
		// of 3 and 2: C = 1 - (24+6)/210 = 0.85714; H = 2.7222;
		// P(chi2(1) > 2.7222) = 0.09896.
		{"ties", [][]float64{{1, 2, 2}, {2, 3, 3}}, 2.7222, 0.09896},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := KruskalWallis(tt.groups)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "H", r.Statistic, tt.h, 1e-4)
			near(t, "p", r.P, tt.p, 5e-3)
		})
	}
}

func TestHolm(t *testing.T) {
	// By hand, m = 3 (the NaN is not a test): sorted 0.01, 0.02, 0.04 ->
	// 0.03, 0.04, max(0.04, 0.04) = 0.04.
	got := Holm([]float64{0.04, 0.01, math.NaN(), 0.02})
	want := []float64{0.04, 0.03, math.NaN(), 0.04}
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(want[i]) && math.Abs(got[i]-want[i]) > 1e-12) {
			t.Errorf("Holm[%d] = %g, want %g", i, got[i], want[i])
		}
	}
}

func TestErrors(t *testing.T) {
	if _, err := Describe(nil, 0.95); err == nil {
		t.Error("Describe(nil): no error")
	}
	if _, err := ANOVA([][]float64{{1, 2}}); err == nil {
		t.Error("ANOVA of one group: no error")
	}
	if _, err := ANOVA([][]float64{{1, 1}, {2, 2}}); err == nil {
		t.Error("ANOVA of constant groups: no error")
	}
	if _, err := KruskalWallis([][]float64{{1}, {}}); err == nil {
		t.Error("Kruskal-Wallis with an empty group: no error")
	}
	if _, err := KruskalWallis([][]float64{{1, 1}, {1}}); err == nil {
		t.Error("Kruskal-Wallis all tied: no error")
	}
	if _, err := StudentT([]float64{1}, []float64{1, 2}); err == nil {
		t.Error("StudentT with one value: no error")
	}
	if _, err := WelchT([]float64{1, 1}, []float64{2, 2}); err == nil {
		t.Error("WelchT of constants: no error")
	}
}

func TestMeanCIMatchesDescribe(t *testing.T) {
	s, _ := Describe(ortGPUPrefill, 0.95)
	m, lo, hi := MeanCI(ortGPUPrefill, 0.95)
	near(t, "mean", m, s.Mean, 1e-12)
	near(t, "low", lo, s.CILow, 1e-12)
	near(t, "high", hi, s.CIHigh, 1e-12)
	if _, lo, _ := MeanCI([]float64{1}, 0.95); !math.IsNaN(lo) {
		t.Errorf("one value: low %g, want NaN", lo)
	}
}

func TestCompare(t *testing.T) {
	// The two report groups plus a constant one: ANOVA still runs (the
	// pooled within-group variance is not zero), the pairs with the
	// constant group have a Welch test only when the other varies.
	c := Compare([]Group{{"onnxruntime-gpu", ortGPUPrefill}, {"transformers-gpu", trGPUPrefill}, {"flat", []float64{1, 1, 1}}}, 0.95)
	if c.ANOVA == nil || c.KruskalWallis == nil || len(c.Pairs) != 3 || len(c.Groups) != 3 {
		t.Fatalf("comparison %+v", c)
	}
	p := c.Pairs[0]
	near(t, "p", p.Student.P, 0.190, 0.01)
	near(t, "% change", p.PctChange, 104, 0.01) // report 10.2: +104%
	// Holm over 3 pairs: the smallest p is multiplied by 3.
	if p.StudentHolm < p.Student.P {
		t.Errorf("holm %g < raw %g", p.StudentHolm, p.Student.P)
	}
	if one := Compare([]Group{{"only", []float64{1, 2}}}, 0.95); one.ANOVA != nil || one.Errs["anova"] == "" {
		t.Errorf("one group: %+v", one)
	}
}

func TestPositiveMeanCI(t *testing.T) {
	// The report's 10.2 onnxruntime-gpu prefill case: two scenarios far
	// apart give a t interval below zero; the bootstrap stays positive.
	xs := []float64{0.1377, 0.1955}
	_, lo, _ := MeanCI(xs, 0.95)
	if lo >= 0 {
		t.Fatalf("t interval low %g: the fixture should cross zero", lo)
	}
	m, lo, hi, method := PositiveMeanCI(xs, 0.95)
	if method != MethodBootstrap || lo <= 0 || lo < 0.1377 || hi > 0.1955 || lo > m || hi < m {
		t.Errorf("PositiveMeanCI = %g [%g, %g] %s: want a bootstrap interval inside the values around the mean", m, lo, hi, method)
	}
	lo2, hi2 := BootstrapMeanCI(xs, 0.95)
	if lo2 != lo || hi2 != hi {
		t.Error("bootstrap is not deterministic")
	}
	// A tight sample keeps the t interval.
	if _, _, _, method := PositiveMeanCI([]float64{10, 10.1, 9.9, 10.05}, 0.95); method != MethodT {
		t.Errorf("tight sample used %s, want t", method)
	}
}

func TestPairedLogRatio(t *testing.T) {
	// b costs 2x a in every scenario, with a little noise: significant.
	a := []float64{1, 2, 4, 8}
	b := []float64{2.02, 3.96, 8.1, 15.9}
	p, err := PairedLogRatio(a, b, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(p.Ratio-2) > 0.02 || p.P > 0.001 || p.Low <= 0 || p.Low > 2 || p.High < 2 {
		t.Errorf("paired = %+v: want ratio ~2, tiny p, CI around 2", p)
	}
	// Welch on the same values sees no difference: the scenarios' spread
	// hides the consistent factor the pairing finds.
	w, _ := WelchT(a, b)
	if w.P < 0.05 {
		t.Errorf("welch p = %g: the example should not be significant unpaired", w.P)
	}
	if _, err := PairedLogRatio([]float64{1}, []float64{2}, 0.95); err == nil {
		t.Error("one pair: want an error")
	}
}
