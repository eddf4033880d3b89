// Package cache owns tr119's content-addressed store on disk: write-once
// objects (blobs and folder trees) named by their SHA-256, the action
// cache that maps an action key to a stage's outputs, per-action
// checkpoint folders, garbage collection, the (path, size, mtime, inode)
// hash memo and the workspace lock. It imports nothing of tr119.
//
// Layout under the cache folder (Go's build cache is the model):
//
//	objects/<2 hex>/<sha256>   read-only blobs; a folder's tree listing is a blob too
//	trees/<sha256>/...         a folder assembled from hard links to its blobs
//	actions/<2 hex>/<key>      action entries (checksummed JSON)
//	checkpoints/<key>/         scratch a stage keeps across interrupted runs
//
// Every write goes to a temporary file that is fsynced and renamed into
// place, so two processes sharing a cache never see each other's partial
// files and an interrupted write leaves at worst a stray temporary file
// (GC removes old ones). What is read back is checked: a truncated or
// damaged action entry, or one whose objects are gone or altered, is a
// miss with a warning, never an error the caller must handle specially
// and never a crash.
package cache
