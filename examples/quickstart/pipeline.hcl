# Quickstart: import a small table measured elsewhere and export it again.
#
#   tr119 apply                                  # imports, exports as CSV
#   tr119 apply                                  # nothing to do: all cached
#   tr119 plan -var 'formats=["csv","jsonl"]'    # only the export reruns, and says why
#   tr119 verify                                 # re-hash results/ against the manifest
#
# Results land in results/ beside this file, with results/manifest.json.

variable "formats" {
  type        = list(string)
  default     = ["csv"]
  description = "What the export stage writes: csv, jsonl or both."
}

stage "import" "throughput" {
  path = "throughput.csv"
}

stage "export" "throughput" {
  table   = stage.import.throughput.table
  formats = var.formats
  sort_by = ["backend", "device", "scenario"]
}
