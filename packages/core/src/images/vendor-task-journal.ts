/**
 * How ImageService remembers the vendor calls of a job, so a restarted job polls the
 * vendor task an earlier run created instead of paying for a new one
 * (docs/architecture.md, "The resume rule"). Keys are `provider/model#batch`.
 */
export interface VendorTaskJournal {
  /** The task an earlier run of this call created, and the credential it belongs to. */
  resumable(key: string): { credentialId: string; taskId: string } | undefined;
  /** Before a vendor call goes out: awaited, so a crash after it is known on restart. */
  starting(key: string, credentialId: string, resumeTaskId?: string): Promise<void>;
  /** The adapter reported the vendor's task id (ProviderCall.onTaskId). */
  taskCreated(key: string, taskId: string): void;
}
