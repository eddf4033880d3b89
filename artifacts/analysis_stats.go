package artifacts

import "github.com/apache/arrow-go/v18/arrow"

// Versions of the stats and validate stages' tables.
const (
	StatsCellsVersion    = "stats_cells/v1"
	StatsGroupsVersion   = "stats_groups/v2"
	StatsTestsVersion    = "stats_tests/v1"
	StatsPairwiseVersion = "stats_pairwise/v2"
	StatsCellPairVersion = "stats_cell_pairwise/v1"
	ValidationVersion    = "validation/v1"
)

// Column names of the stats and validation tables (units: see
// docs/analysis.md; a metric's unit is in its "unit" column).
const (
	ASMetric    = "metric"
	ASUnit      = "unit"
	ASMean      = "mean"
	ASStd       = "std"
	ASMedian    = "median"
	ASMin       = "min"
	ASMax       = "max"
	ASCILow     = "ci_low"
	ASCIHigh    = "ci_high"
	ASTest      = "test"
	ASStatistic = "statistic"
	ASDF1       = "df1"
	ASDF2       = "df2"
	ASPValue    = "p_value"
	ASGroups    = "groups"
	ASBackendA  = "backend_a"
	ASBackendB  = "backend_b"
	ASMeanA     = "mean_a"
	ASMeanB     = "mean_b"
	ASPctChange = "pct_change"
	ASCohensD   = "cohens_d"
	ASStudentT  = "student_t"
	ASStudentDF = "student_df"
	ASStudentP  = "student_p"
	ASStudentPH = "student_p_holm"
	ASWelchT    = "welch_t"
	ASWelchDF   = "welch_df"
	ASWelchP    = "welch_p"
	ASWelchPH   = "welch_p_holm"
	ASCIMethod  = "ci_method"
	ASPairedN   = "paired_n"
	ASPairedR   = "paired_ratio"
	ASPairedLo  = "paired_ratio_ci_low"
	ASPairedHi  = "paired_ratio_ci_high"
	ASPairedP   = "paired_p"
	ASPairedPH  = "paired_p_holm"
	ASNA        = "n_a"
	ASNB        = "n_b"
	ASRatio     = "ratio"

	AVCheck    = "check"
	AVSeverity = "severity"
	AVMessage  = "message"
	AVValue    = "value"
)

// StatsCellsSchema is stats_cells/v1: per backend x scenario x mode x
// metric, descriptive statistics over repetitions (the sample; n =
// repetitions). The CI is the 95% t interval of the mean; std, ci_low and
// ci_high are null when n < 2.
func StatsCellsSchema() *arrow.Schema {
	return versioned(StatsCellsVersion,
		strCol(ACBackend), strCol(ACScenario), strCol(ACMode), strCol(ASMetric), strCol(ASUnit),
		intCol(ACN), numCol(ASMean), optCol(ASStd), numCol(ASMedian), numCol(ASMin), numCol(ASMax),
		optCol(ASCILow), optCol(ASCIHigh),
	)
}

// StatsGroupsSchema is stats_groups/v2: per mode x backend, the metric
// (a tier's total $ per 1M tokens) across scenarios: n = scenarios
// (report 10.2's "mean costs with 95% CI"). ci_method is "t" (Student t
// interval) or "bootstrap" (seeded percentile bootstrap, used where the t
// interval would reach below zero: a cost is never negative); "" when
// n < 2.
func StatsGroupsSchema() *arrow.Schema {
	return versioned(StatsGroupsVersion,
		strCol(ACMode), strCol(ACBackend), strCol(ASMetric), strCol(ACTier),
		intCol(ACN), numCol(ASMean), optCol(ASStd), numCol(ASMedian), optCol(ASCILow), optCol(ASCIHigh),
		strCol(ASCIMethod),
	)
}

// StatsTestsSchema is stats_tests/v1: per mode the omnibus tests across
// backends: "anova" (one-way, F with df1 = k-1, df2 = N-k) and
// "kruskal_wallis" (H with tie correction, chi-squared df1 = k-1; df2 null).
func StatsTestsSchema() *arrow.Schema {
	return versioned(StatsTestsVersion,
		strCol(ACMode), strCol(ASMetric), strCol(ACTier), strCol(ASTest),
		numCol(ASStatistic), numCol(ASDF1), optCol(ASDF2), numCol(ASPValue),
		intCol(ASGroups), intCol(ACN),
	)
}

// StatsPairwiseSchema is stats_pairwise/v2: per mode, every pair of
// backends (a < b by name): means, % change of b versus a, Cohen's d
// (pooled SD, positive when b is larger), Student's pooled and Welch's
// two-sided t-tests over the scenarios as independent samples (the TR119
// report's tests, kept for fidelity), and the paired test that fits the
// design (every backend runs the same scenarios): the one-sample t test of
// the per-scenario log ratios b/a over the paired_n shared scenarios, with
// the geometric-mean ratio and its CI. Holm-corrected p-values are within
// each mode and test.
func StatsPairwiseSchema() *arrow.Schema {
	return versioned(StatsPairwiseVersion,
		strCol(ACMode), strCol(ASMetric), strCol(ACTier), strCol(ASBackendA), strCol(ASBackendB),
		numCol(ASMeanA), numCol(ASMeanB), numCol(ASPctChange), optCol(ASCohensD),
		optCol(ASStudentT), optCol(ASStudentDF), optCol(ASStudentP), optCol(ASStudentPH),
		optCol(ASWelchT), optCol(ASWelchDF), optCol(ASWelchP), optCol(ASWelchPH),
		intCol(ASPairedN), optCol(ASPairedR), optCol(ASPairedLo), optCol(ASPairedHi), optCol(ASPairedP), optCol(ASPairedPH),
	)
}

// StatsCellPairwiseSchema is stats_cell_pairwise/v1: per mode x scenario,
// every pair of backends (a < b) measured in it, compared on the
// per-repetition cost (the metric, at the tier): n per side, means, the
// ratio mean_b / mean_a, Welch's two-sided t test over the repetitions and
// its p-value Holm-corrected across every row of the mode.
func StatsCellPairwiseSchema() *arrow.Schema {
	return versioned(StatsCellPairVersion,
		strCol(ACMode), strCol(ACScenario), strCol(ASMetric), strCol(ACTier), strCol(ASBackendA), strCol(ASBackendB),
		intCol(ASNA), intCol(ASNB), numCol(ASMeanA), numCol(ASMeanB), numCol(ASRatio),
		optCol(ASWelchT), optCol(ASWelchDF), optCol(ASWelchP), optCol(ASWelchPH),
	)
}

// ValidationSchema is validation/v1: one row per finding, sorted by
// severity (fail, warn, info), check, mode, backend, scenario. backend,
// scenario and mode are empty for table-wide findings; value is the
// number the check measured, when there is one.
func ValidationSchema() *arrow.Schema {
	return versioned(ValidationVersion,
		strCol(AVCheck), strCol(AVSeverity), strCol(ACBackend), strCol(ACScenario), strCol(ACMode),
		strCol(AVMessage), optCol(AVValue),
	)
}

func init() { registerSchema(StatsCellPairVersion, StatsCellPairwiseSchema) }
