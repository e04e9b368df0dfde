// Package schema holds tableau-go's subset of the Tableau Metadata API
// schema (GraphQL SDL), shared by the generated client in package metadata
// and the emulator in package tableautest.
package schema

import _ "embed"

// SDL is the schema in the GraphQL schema definition language.
//
//go:embed schema.graphql
var SDL string
