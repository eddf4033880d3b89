package report

import "testing"

func TestNumbersForPeople(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{17802, "17,800"}, {1105.4, "1,110"}, {905.1, "905"}, {94.95, "95"}, {0.04752, "0.0475"},
		{0.1666, "0.167"}, {1.0, "1"}, {2.5, "2.5"}, {1.234e-05, "1.23×10^-5"}, {-1234.5, "-1,230"},
		{1e9, "1,000,000,000"}, {0.000131, "0.000131"},
	} {
		if got := num(tc.v); got != tc.want {
			t.Errorf("num(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
	if got := usdReq(0.0001309); got != "$0.131 per 1,000 requests" {
		t.Errorf("usdReq = %q", got)
	}
	if got := envValue("memory_bytes", "8589934592"); got != "8 GiB (8,589,934,592 bytes)" {
		t.Errorf("envValue = %q", got)
	}
	if got := pval(0.10612); got != "0.106" {
		t.Errorf("pval = %q", got)
	}
}
