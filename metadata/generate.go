package metadata

//go:generate go tool genqlient genqlient.yaml
