// Package cache owns tr119's content-addressed store on disk: write-once
// objects (blobs and folder trees) named by their SHA-256, the action
// cache that maps an action key to a stage's outputs, per-action
// checkpoint folders, garbage collection, the (path, size, mtime, ctime,
// inode) hash memo, the workspace lock and the cache's own lock. It
// imports nothing of tr119.
//
// Layout under the cache folder (Go's build cache is the model):
//
//	objects/<2 hex>/<sha256>   read-only blobs; a folder's tree listing is a blob too
//	trees/<sha256>/...         a folder assembled from hard links to its blobs
//	actions/<2 hex>/<key>      action entries (checksummed JSON with their key lines)
//	checkpoints/<key>/         scratch a stage keeps across interrupted runs
//	quarantine/                damaged objects and entries, kept with a note (never deleted)
//	workspaces/<id>            the workspaces that use the cache (gc keeps what they use)
//	lock                       shared by applies, exclusive for gc
//
// Every write goes to a temporary file that is fsynced and renamed into
// place, so two processes sharing a cache never see each other's partial
// files and an interrupted write leaves at worst a stray temporary file
// (GC removes old ones).
//
// Never serve wrong bytes: what is read back is checked. A blob that is
// not a regular file, has the wrong size, or (small ones always, large
// ones when their file attributes moved, inputs of a stage about to run
// always) hashes to another digest is damage; so is an action entry that
// does not decode or whose key lines hash to another key. Damage is moved
// to quarantine/ and reported as a miss wrapping ErrCorrupt (a
// *CorruptError says what and where), never a hit and never a crash;
// storing the content again replaces a damaged object. VerifyStore
// re-hashes everything, for what no attribute shows (bit rot).
package cache
