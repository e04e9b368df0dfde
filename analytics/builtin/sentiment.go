package builtin

import (
	"github.com/jonreiter/govader"
)

// Sentiment scores text with VADER (github.com/jonreiter/govader, a Go
// port of vaderSentiment that ships its lexicon). Safe for concurrent use.
type Sentiment struct {
	analyzer *govader.SentimentIntensityAnalyzer
}

// NewSentiment loads the VADER lexicon (about 7,500 words and emoji).
func NewSentiment() *Sentiment {
	return &Sentiment{analyzer: govader.NewSentimentIntensityAnalyzer()}
}

// Compound returns VADER's compound score of each text, from -1 (most
// negative) to 1 (most positive); about ±0.05 is neutral.
func (s *Sentiment) Compound(texts []string) []float64 {
	out := make([]float64, len(texts))
	for i, t := range texts {
		out[i] = s.analyzer.PolarityScores(t).Compound
	}
	return out
}
