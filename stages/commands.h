/* commands.h: the table of `emogen` commands. Each line:
 *   X(name, function, uses_mpi, one-line summary)
 * A command's function is int fn(emg_ctx *ctx, int argc, char **argv) with argv[0] = the command
 * name; it returns the process exit code (0 ok, 1 failure, 2 usage error). uses_mpi = 0 commands
 * start fast (no MPI start-up) so scripts can call them per file. */
#define EMOGEN_COMMANDS(X) \
    X("version", cmd_version, 0, "print emogen's version and the versions of the linked libraries") \
    X("tokenize", cmd_tokenize, 0, "MIDI files -> EmoGen REMIGEN2 tokens (strings or ids), one line per file") \
    X("detokenize", cmd_detokenize, 0, "REMIGEN2 tokens -> a MIDI file, as EmoGen decodes generated music") \
    X("features", cmd_features, 0, "jSymbolic 2.2 feature values (EmoGen's attributes) of MIDI files as CSV") \
    X("config", cmd_config, 0, "list, print or check the JSON configs (schemas/) with defaults filled in") \
    X("midi-info", cmd_midi_info, 0, "read one MIDI file and print format, tracks, notes, duration, tempo/metre changes, repairs") \
    X("unpack", cmd_unpack, 1, "pack the MIDI files of archives, folders and files into one HDF5 MIDI store") \
    X("extract", cmd_extract, 1, "tokens, jSymbolic features and training segments of every stored piece -> corpus.h5") \
    X("corpus-info", cmd_corpus_info, 0, "summarise a corpus.h5 (pieces, segments, tokens, labels, rejects)") \
    X("select", cmd_select, 1, "rank the 1495 jSymbolic values with a random forest; the top k become attributes") \
    X("train", cmd_train, 1, "train EmoGen's attribute-conditioned linear-transformer LM, data-parallel, with HDF5 checkpoints") \
    X("model-check", cmd_model_check, 0, "check the C model (forward, gradients, Adam, decoding) against a PyTorch debug state") \
    X("generate", cmd_generate, 1, "emotion -> attribute vector -> sampled tokens -> MIDI (+ tokens, sidecar, piano roll)") \
    X("evaluate", cmd_evaluate, 1, "emotion accuracy and attribute control of generated pieces, with baselines -> report") \
    X("map", cmd_map, 1, "give each emotion (Q1..Q4) an attribute vector from the labelled pieces")

#include "context.h"
#define X(name, fn, mpi, summary) int fn(emg_ctx *ctx, int argc, char **argv);
EMOGEN_COMMANDS(X)
#undef X
