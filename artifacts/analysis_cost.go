package artifacts

import (
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
)

// Versions of the cost stage's tables (schema metadata "tr119.schema").
const (
	CostCellsVersion    = "cost_cells/v1"
	CostTiersVersion    = "cost_cell_tiers/v1"
	CostSummaryVersion  = "cost_summary/v1"
	CostWinnersVersion  = "cost_winners/v1"
	CostRequestsVersion = "cost_requests/v1"
	CostTCOVersion      = "cost_tco/v1"
	CostSavingsVersion  = "cost_savings/v1"
	CostRepsVersion     = "cost_reps/v1"
)

// Column names shared by the analysis tables. Units are in the names:
// _s seconds, _w watts, _kwh kilowatt-hours, _g grams CO2e, _usd US
// dollars, _per_1m per million tokens. docs/analysis.md defines each.
const (
	ACBackend     = "backend"
	ACScenario    = "scenario"
	ACMode        = "mode"
	ACDeviceClass = "device_class"
	ACTier        = "tier"
	ACN           = "n"

	ACBatchSize   = "batch_size"
	ACSeqLen      = "seq_len"
	ACRows        = "rows"
	ACExcluded    = "excluded_rows"
	ACTokensRep   = "tokens_per_rep"
	ACThroughput  = "throughput_tok_s"
	ACThrCILow    = "throughput_ci_low"
	ACThrCIHigh   = "throughput_ci_high"
	ACEffThr      = "effective_throughput_tok_s"
	ACSeconds     = "seconds_per_1m"
	ACSecCILow    = "seconds_per_1m_ci_low"
	ACSecCIHigh   = "seconds_per_1m_ci_high"
	ACHours       = "hours_per_1m"
	ACPower       = "power_w"
	ACEnergy      = "energy_kwh_per_1m"
	ACEnergyCILow = "energy_kwh_per_1m_ci_low"
	ACEnergyCIHi  = "energy_kwh_per_1m_ci_high"
	ACCarbon      = "carbon_g_per_1m"
	ACCarbonCILow = "carbon_g_per_1m_ci_low"
	ACCarbonCIHi  = "carbon_g_per_1m_ci_high"
	ACDomains     = "energy_domains"
	ACSource      = "energy_source"
	ACReason      = "energy_reason"

	ACUSDPerHour   = "usd_per_hour"
	ACInfra        = "infra_usd_per_1m"
	ACEnergyUSD    = "energy_usd_per_1m"
	ACTotal        = "total_usd_per_1m"
	ACTotalCILow   = "total_usd_per_1m_ci_low"
	ACTotalCIHigh  = "total_usd_per_1m_ci_high"
	ACEnergyShare  = "energy_share"
	ACAggregate    = "aggregate"
	ACNScenarios   = "n_scenarios"
	ACMultiple     = "multiple_vs_best"
	ACRank         = "rank"
	ACRankBasis    = "rank_basis"
	ACBasis        = "basis"
	ACBest         = "best_backend"
	ACBestUSD      = "best_usd_per_1m"
	ACRunnerUp     = "runner_up_backend"
	ACRunnerUpUSD  = "runner_up_usd_per_1m"
	ACRunnerUpMult = "runner_up_multiple"

	ACPromptTokens   = "prompt_tokens"
	ACGenerateTokens = "generate_tokens"
	ACGenMode        = "generation_mode"
	ACPrefillS       = "prefill_s"
	ACGenerateS      = "generate_s"
	ACReqInfra       = "infra_usd"
	ACReqEnergy      = "energy_usd"
	ACReqTotal       = "total_usd"
	ACReqKWh         = "energy_kwh"
	ACReqCarbon      = "carbon_g"
	ACSavingsRef     = "savings_vs_reference"
	ACReferenceTier  = "reference_tier"

	ACTokensMonth   = "tokens_per_month"
	ACMonths        = "months"
	ACRequestsMonth = "requests_per_month"
	ACUSDMonth      = "usd_per_month"
	ACUSDTotal      = "usd_total"

	ACRepetition = "repetition"
	ACPrompts    = "prompts"
	ACTokens     = "tokens"
	ACSecondsSum = "seconds"
	ACEnergyJ    = "energy_j"

	ACVersus       = "versus"
	ACSavingsMonth = "savings_usd_per_month"
	ACSavingsYear  = "savings_usd_per_year"
	ACSavingsTotal = "savings_usd_total"
	ACSavingsPct   = "savings_fraction"
)

// CostCellsSchema is cost_cells/v1: one row per backend x scenario x mode
// (sorted by mode, backend, scenario) with the physical per-1M-token
// quantities and their 95% t-CIs across repetitions (null when n < 2).
// Energy and carbon columns are null when energy is unavailable;
// energy_reason says why.
func CostCellsSchema() *arrow.Schema {
	return versioned(CostCellsVersion,
		strCol(ACBackend), strCol(ACScenario), strCol(ACMode), strCol(ACDeviceClass),
		intCol(ACBatchSize), intCol(ACSeqLen), intCol(ACN), intCol(ACRows), intCol(ACExcluded),
		numCol(ACTokensRep),
		numCol(ACThroughput), optCol(ACThrCILow), optCol(ACThrCIHigh), numCol(ACEffThr),
		numCol(ACSeconds), optCol(ACSecCILow), optCol(ACSecCIHigh), numCol(ACHours),
		optCol(ACPower),
		optCol(ACEnergy), optCol(ACEnergyCILow), optCol(ACEnergyCIHi),
		optCol(ACCarbon), optCol(ACCarbonCILow), optCol(ACCarbonCIHi),
		strCol(ACDomains), strCol(ACSource), strCol(ACReason),
	)
}

// CostTiersSchema is cost_cell_tiers/v1: one row per cell x pricing tier
// (tiers in declaration order: on_demand, spot, reserved_1y, reserved_3y,
// user tiers sorted, local, energy_only). Energy and total are null when
// the cell's energy is unavailable; infra is always present.
func CostTiersSchema() *arrow.Schema {
	return versioned(CostTiersVersion,
		strCol(ACBackend), strCol(ACScenario), strCol(ACMode), strCol(ACDeviceClass), strCol(ACTier),
		numCol(ACUSDPerHour), numCol(ACInfra), optCol(ACEnergyUSD),
		optCol(ACTotal), optCol(ACTotalCILow), optCol(ACTotalCIHigh), optCol(ACEnergyShare),
	)
}

// CostSummarySchema is cost_summary/v1: one row per mode x backend x tier,
// aggregated across scenarios (report 5.1 and 11.1). aggregate is "time"
// (mean seconds per 1M, effective throughput 1e6/seconds, time-weighted
// power) or "arithmetic" (mean throughput and mean power, the report's
// request-table rule). rank and multiple_vs_best compare total cost within
// mode and tier, or infra cost where no backend has a total (energy
// unavailable); rank_basis says which ("total" or "infra").
func CostSummarySchema() *arrow.Schema {
	return versioned(CostSummaryVersion,
		strCol(ACMode), strCol(ACBackend), strCol(ACTier), strCol(ACDeviceClass), strCol(ACAggregate),
		intCol(ACNScenarios),
		numCol(ACSeconds), numCol(ACEffThr), optCol(ACPower), optCol(ACEnergy), optCol(ACCarbon),
		numCol(ACUSDPerHour), numCol(ACInfra), optCol(ACEnergyUSD), optCol(ACTotal), optCol(ACEnergyShare),
		optCol(ACMultiple), intCol(ACRank), strCol(ACRankBasis),
	)
}

// CostWinnersSchema is cost_winners/v1: per mode x scenario x tier the
// cheapest backend by total $ per 1M tokens and the runner-up (report 5.2);
// where no cell has a total (energy unavailable) by infra $ per 1M, and
// basis says which ("total" or "infra"); best/runner-up costs are then
// infra costs.
func CostWinnersSchema() *arrow.Schema {
	return versioned(CostWinnersVersion,
		strCol(ACMode), strCol(ACScenario), strCol(ACTier), strCol(ACBasis),
		strCol(ACBest), numCol(ACBestUSD),
		strCol(ACRunnerUp), optCol(ACRunnerUpUSD), optCol(ACRunnerUpMult),
	)
}

// CostRequestsSchema is cost_requests/v1: per backend x tier the cost of
// one request of prompt_tokens prefill and generate_tokens generated in
// generation_mode, split into infra and energy, and the same per 1M total
// (prompt + generated) tokens (report 5.3, 5.4, 5.5, 11.4, A.1).
// savings_vs_reference is 1 - total/total(reference tier).
func CostRequestsSchema() *arrow.Schema {
	return versioned(CostRequestsVersion,
		strCol(ACBackend), strCol(ACTier), intCol(ACPromptTokens), intCol(ACGenerateTokens), strCol(ACGenMode),
		numCol(ACPrefillS), numCol(ACGenerateS),
		numCol(ACReqInfra), optCol(ACReqEnergy), optCol(ACReqTotal), optCol(ACReqKWh), optCol(ACReqCarbon),
		numCol(ACInfra), optCol(ACEnergyUSD), optCol(ACTotal), optCol(ACEnergyShare), optCol(ACCarbon),
		optCol(ACMultiple), strCol(ACReferenceTier), optCol(ACSavingsRef),
	)
}

// CostTCOSchema is cost_tco/v1: per backend x tier the cost of
// tokens_per_month total tokens for months months at the request mix
// (report A.2): requests_per_month = tokens_per_month / (prompt+generate).
func CostTCOSchema() *arrow.Schema {
	return versioned(CostTCOVersion,
		strCol(ACBackend), strCol(ACTier),
		numCol(ACTokensMonth), numCol(ACMonths), numCol(ACRequestsMonth),
		optCol(ACUSDMonth), optCol(ACUSDTotal), optCol(ACTotal),
	)
}

// CostSavingsSchema is cost_savings/v1: per tier, for every ordered pair of
// backends, what choosing backend instead of versus saves under the TCO
// volume (negative: it costs more). savings_fraction is relative to versus.
func CostSavingsSchema() *arrow.Schema {
	return versioned(CostSavingsVersion,
		strCol(ACTier), strCol(ACBackend), strCol(ACVersus),
		numCol(ACSavingsMonth), numCol(ACSavingsYear), numCol(ACSavingsTotal), numCol(ACSavingsPct),
	)
}

// CostRepsSchema is cost_reps/v1: the samples behind cost_cells, one row
// per cell x repetition (sorted like cost_cells, then by repetition):
// prompts counted, tokens and seconds summed over them, and the
// attributed energy in joules (null when the cell has none). The stats
// stage describes cells from it without re-reading the runs.
func CostRepsSchema() *arrow.Schema {
	return versioned(CostRepsVersion,
		strCol(ACBackend), strCol(ACScenario), strCol(ACMode), strCol(ACDeviceClass),
		intCol(ACRepetition), intCol(ACPrompts), numCol(ACTokens), numCol(ACSecondsSum), optCol(ACEnergyJ),
	)
}

// HeadlineTierKey is the Arrow schema metadata key with which the cost
// stage marks its tier-bearing tables (cell_tiers, summary, winners,
// requests, tco, savings) with its headline tier: the one tier stats, plot
// and report rank and recommend on.
const HeadlineTierKey = "tr119.headline_tier"

// WithMetadata returns s with the metadata key set to value (other
// metadata kept, keys sorted so the bytes do not depend on call order).
func WithMetadata(s *arrow.Schema, key, value string) *arrow.Schema {
	md := s.Metadata()
	m := map[string]string{key: value}
	for i, k := range md.Keys() {
		if k != key {
			m[k] = md.Values()[i]
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	vals := make([]string, len(keys))
	for i, k := range keys {
		vals[i] = m[k]
	}
	out := arrow.NewMetadata(keys, vals)
	return arrow.NewSchema(s.Fields(), &out)
}

// Metadata returns the value of a schema metadata key, "" when absent.
func Metadata(s *arrow.Schema, key string) string {
	if s == nil {
		return ""
	}
	md := s.Metadata()
	if i := md.FindKey(key); i >= 0 {
		return md.Values()[i]
	}
	return ""
}
