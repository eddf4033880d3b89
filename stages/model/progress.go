package model

import (
	"context"
	"fmt"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/models/gpt2"
)

// progressSource wraps a weights source to report progress per tensor and
// to stop a long write (gpt2-xl is 6 GB) when the run is cancelled.
type progressSource struct {
	ctx         context.Context
	src         gpt2.Source
	p           engine.Progress
	done, total int64 // bytes of weights
}

func newProgressSource(ctx context.Context, src gpt2.Source, cfg gpt2.Config, p engine.Progress) *progressSource {
	return &progressSource{ctx: ctx, src: src, p: p, total: 4 * cfg.Params()}
}

// Fill implements gpt2.Source.
func (s *progressSource) Fill(name string, shape []int64, dst []float32) error {
	if err := s.ctx.Err(); err != nil {
		return fmt.Errorf("cancelled: %w", err)
	}
	if err := s.src.Fill(name, shape, dst); err != nil {
		return err
	}
	// Report each tenth, not each tensor: a plain log would get hundreds
	// of lines for the larger presets.
	before := s.done * 10 / max(s.total, 1)
	s.done += 4 * int64(len(dst))
	if s.done*10/max(s.total, 1) != before {
		s.p.Report(s.done, s.total, "weights")
	}
	return nil
}
