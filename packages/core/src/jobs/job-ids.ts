import { randomBytes } from 'node:crypto';

/** `job_` and 24 hex digits: unguessable, and safe as a file name and a Redis key. */
export const newJobId = () => `job_${randomBytes(12).toString('hex')}`;

export const isJobId = (value: string) => /^job_[a-f0-9]{24}$/.test(value);
