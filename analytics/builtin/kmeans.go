package builtin

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// KMeansOptions tune [KMeans]. A nil *KMeansOptions means the defaults.
type KMeansOptions struct {
	// Seed makes the k-means++ initialisation reproducible. Default: 1.
	Seed uint64
	// MaxIterations bounds Lloyd's iterations. Default: 100.
	MaxIterations int
	// Raw skips standardising each feature to mean 0 and standard
	// deviation 1 before clustering. Default: false (standardise, so that
	// features in different units weigh the same).
	Raw bool
}

// KMeans clusters rows into k groups with k-means++ initialisation and
// Lloyd's iterations (distances with gonum's floats.Distance). features
// are parallel columns (Tableau sends one per measure). It returns a
// label 1..k per row, and 0 for rows with a missing (NaN) feature.
// (No maintained Go k-means module is served by the module proxy here,
// so the loop is written out; the arithmetic is gonum's.)
func KMeans(k int, features [][]float64, opts *KMeansOptions) ([]int64, error) {
	o := KMeansOptions{Seed: 1, MaxIterations: 100}
	if opts != nil {
		if opts.Seed != 0 {
			o.Seed = opts.Seed
		}
		if opts.MaxIterations > 0 {
			o.MaxIterations = opts.MaxIterations
		}
		o.Raw = opts.Raw
	}
	if len(features) == 0 {
		return nil, inputError("kmeans: no feature columns")
	}
	n := len(features[0])
	for j, f := range features {
		if len(f) != n {
			return nil, inputError("kmeans: feature %d has %d values, feature 1 has %d", j+1, len(f), n)
		}
	}
	// Rows with every feature present.
	var rows []int
	for i := range n {
		ok := true
		for _, f := range features {
			if math.IsNaN(f[i]) || math.IsInf(f[i], 0) {
				ok = false
				break
			}
		}
		if ok {
			rows = append(rows, i)
		}
	}
	if k < 1 {
		return nil, inputError("kmeans: k must be at least 1, got %d", k)
	}
	if len(rows) < k {
		return nil, inputError("kmeans: %d complete rows cannot form %d clusters", len(rows), k)
	}
	d := len(features)
	points := make([][]float64, len(rows))
	for i, r := range rows {
		p := make([]float64, d)
		for j, f := range features {
			p[j] = f[r]
		}
		points[i] = p
	}
	if !o.Raw {
		col := make([]float64, len(points))
		for j := range d {
			for i, p := range points {
				col[i] = p[j]
			}
			mean, std := stat.MeanStdDev(col, nil)
			if std == 0 || math.IsNaN(std) {
				std = 1
			}
			for _, p := range points {
				p[j] = (p[j] - mean) / std
			}
		}
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	centers := initPlusPlus(points, k, rng)
	assign := make([]int, len(points))
	for i := range assign {
		assign[i] = -1
	}
	for range o.MaxIterations {
		changed := false
		for i, p := range points {
			best, bestD := 0, math.Inf(1)
			for c, ctr := range centers {
				if dd := floats.Distance(p, ctr, 2); dd < bestD {
					best, bestD = c, dd
				}
			}
			if assign[i] != best {
				assign[i] = best
				changed = true
			}
		}
		if !changed {
			break
		}
		counts := make([]int, k)
		for c := range centers {
			for j := range centers[c] {
				centers[c][j] = 0
			}
		}
		for i, p := range points {
			floats.Add(centers[assign[i]], p)
			counts[assign[i]]++
		}
		for c := range centers {
			if counts[c] == 0 {
				// An empty cluster takes the point farthest from its center.
				far, farD := 0, -1.0
				for i, p := range points {
					if dd := floats.Distance(p, centers[assign[i]], 2); dd > farD {
						far, farD = i, dd
					}
				}
				copy(centers[c], points[far])
				continue
			}
			floats.Scale(1/float64(counts[c]), centers[c])
		}
	}
	labels := make([]int64, n)
	for i, r := range rows {
		labels[r] = int64(assign[i] + 1)
	}
	return labels, nil
}

// initPlusPlus picks k starting centers, each next one with probability
// proportional to its squared distance from the nearest chosen one.
func initPlusPlus(points [][]float64, k int, rng *rand.Rand) [][]float64 {
	centers := make([][]float64, 0, k)
	first := points[rng.IntN(len(points))]
	centers = append(centers, append([]float64(nil), first...))
	d2 := make([]float64, len(points))
	for len(centers) < k {
		total := 0.0
		for i, p := range points {
			best := math.Inf(1)
			for _, c := range centers {
				if dd := floats.Distance(p, c, 2); dd < best {
					best = dd
				}
			}
			d2[i] = best * best
			total += d2[i]
		}
		next := 0
		if total > 0 {
			r := rng.Float64() * total
			for i, w := range d2 {
				r -= w
				if r <= 0 {
					next = i
					break
				}
			}
		} else {
			next = rng.IntN(len(points))
		}
		centers = append(centers, append([]float64(nil), points[next]...))
	}
	return centers
}
