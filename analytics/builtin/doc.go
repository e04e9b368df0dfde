// Package builtin holds ready-made functions for an [analytics.Server]:
// statistics (Welch's t-test, one-way ANOVA, k-means clustering, a linear
// regression forecast), logistic-regression scoring of a model trained from
// a CSV, VADER sentiment scoring, and a "describe" table extension.
//
// [Register] adds them all under the names Tableau calls, for example
//
//	SCRIPT_REAL("return tabpy.query('ttest', _arg1, _arg2)['response']", SUM([Before]), SUM([After]))
//	SCRIPT_REAL("return tabpy.query('sentiment', _arg1)['response']", ATTR([Review]))
//
// The same computations are exported as plain Go functions ([WelchTTest],
// [OneWayANOVA], [KMeans], [LinearForecast], [TrainLogistic],
// [Sentiment]). The math comes from gonum (gonum.org/v1/gonum: stat,
// stat/distuv, optimize, floats) and the sentiment model from
// github.com/jonreiter/govader. Bad input (too few values, constant
// samples) is answered with a 400 that says what is wrong.
package builtin
