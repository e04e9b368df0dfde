package document

// Options bound what Open and Read accept. A nil *Options uses every default.
type Options struct {
	// MaxEntries is the most entries a package may hold. Default: 10000.
	MaxEntries int
	// MaxUncompressedBytes bounds the sum of the uncompressed sizes a
	// package declares for its entries. Default: 32 GiB.
	MaxUncompressedBytes int64
	// MaxDocumentBytes bounds the size of the workbook or datasource XML
	// (inside a package or not). Default: 1 GiB; at most 2 GiB - 1.
	MaxDocumentBytes int64
	// MaxDepth bounds how deeply elements nest. Default: 256.
	MaxDepth int
}

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.MaxEntries <= 0 {
		v.MaxEntries = 10000
	}
	if v.MaxUncompressedBytes <= 0 {
		v.MaxUncompressedBytes = 32 << 30
	}
	if v.MaxDocumentBytes <= 0 {
		v.MaxDocumentBytes = 1 << 30
	}
	if v.MaxDocumentBytes > 1<<31-1 {
		v.MaxDocumentBytes = 1<<31 - 1
	}
	if v.MaxDepth <= 0 {
		v.MaxDepth = 256
	}
	return v
}
