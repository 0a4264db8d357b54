package co.soukosync.sync;

/** A failure that knows which stage of the run it belongs to, whatever stage the run was in. */
public interface StagedFailure {

    String stage();
}
