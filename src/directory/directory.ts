import { randomUUID } from 'node:crypto';
import { CONFERENCE_ID_LENGTH } from '../domain/conference.js';
import { DomainError, type FieldProblem } from '../domain/errors.js';
import { newNumericId, type RandomBytes } from '../domain/ids.js';
import { canActFor, requireAdmin, type Principal, type User } from '../domain/user.js';
import {
  UniqueConflict,
  type NewUser,
  type RegionStore,
  type SecretHasher,
  type UserChanges,
  type UserStore,
} from '../ports/directory-store.js';
import { cleanUserRow, type Checked, type CleanUser, type UserInput } from './user-rows.js';

export interface DirectoryDeps {
  readonly users: UserStore;
  readonly regions: RegionStore;
  readonly hasher: SecretHasher;
  readonly random: RandomBytes;
}

const ID_ATTEMPTS = 20;
const TAKEN_CODE = { email: 'email-taken', sipUri: 'sip-uri-taken', extension: 'extension-taken' } as const;

/** The user directory: admins manage it; each user reads their own entry and resets their conference ID. */
export class Directory {
  constructor(private readonly deps: DirectoryDeps) {}

  async create(principal: Principal, input: UserInput): Promise<User> {
    requireAdmin(principal);
    const checked = await this.check([input], false);
    if ('problems' in checked) {
      const code = checked.problems.length === 1 ? checked.problems[0]!.code : 'validation-failed';
      throw new DomainError(code, describe(checked.problems), checked.problems);
    }
    return (await this.insert(checked.clean))[0]!;
  }

  /** Every row is checked first; one bad row means nothing is imported and every problem is reported. */
  async import(principal: Principal, rows: readonly UserInput[]): Promise<User[]> {
    requireAdmin(principal);
    if (rows.length === 0) throw new DomainError('validation-failed', 'the import has no rows');
    const checked = await this.check(rows, true);
    if ('problems' in checked) {
      throw new DomainError('import-failed', `${checked.problems.length} problem(s); nothing was imported`, checked.problems);
    }
    return this.insert(checked.clean);
  }

  async get(principal: Principal, id: string): Promise<User> {
    if (!canActFor(principal, id)) throw new DomainError('user-not-found', `no user ${id}`);
    const user = await this.deps.users.get(id);
    if (!user) throw new DomainError('user-not-found', `no user ${id}`);
    return user;
  }

  list(principal: Principal, page: { limit: number; offset: number }): Promise<User[]> {
    requireAdmin(principal);
    return this.deps.users.list(page);
  }

  async update(principal: Principal, id: string, input: UserInput): Promise<User> {
    requireAdmin(principal);
    const current = await this.get(principal, id);
    const merged = { ...toInput(current), ...input };
    const checked = cleanUserRow(merged, await this.regionMap());
    if ('problems' in checked) throw new DomainError(checked.problems[0]!.code, describe(checked.problems), checked.problems);
    const taken = await this.deps.users.taken(candidates([checked.clean]), id);
    const clash = takenProblems(checked.clean, taken);
    if (clash.length > 0) throw new DomainError(clash[0]!.code, describe(clash), clash);
    const { password, ...fields } = checked.clean;
    const changes: UserChanges = {
      ...fields,
      ...(typeof input.password === 'string' ? { passwordHash: await this.deps.hasher.hash(password!) } : {}),
    };
    return this.write(() => this.deps.users.update(id, changes), id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requireAdmin(principal);
    if (!(await this.deps.users.remove(id))) throw new DomainError('user-not-found', `no user ${id}`);
  }

  /** "Reset my conference ID": a fresh personal ID, unique among users and live conferences. */
  async resetConferenceId(principal: Principal, id: string): Promise<User> {
    await this.get(principal, id);
    const conferenceId = await this.freeConferenceId();
    return this.write(() => this.deps.users.setAssignedConferenceId(id, conferenceId), id);
  }

  private async check(rows: readonly UserInput[], numbered: boolean): Promise<Checked<CleanUser[]>> {
    const regions = await this.regionMap();
    const problems: FieldProblem[] = [];
    const clean: Array<{ row: number | undefined; user: CleanUser }> = [];
    rows.forEach((input, index) => {
      const row = numbered ? index + 1 : undefined;
      const result = cleanUserRow(input ?? {}, regions, row);
      if ('problems' in result) problems.push(...result.problems);
      else clean.push({ row, user: result.clean });
    });
    problems.push(...duplicatesWithin(clean));
    const taken = await this.deps.users.taken(candidates(clean.map((c) => c.user)));
    for (const { row, user } of clean) problems.push(...takenProblems(user, taken, row));
    return problems.length > 0 ? { problems } : { clean: clean.map((c) => c.user) };
  }

  private async insert(rows: readonly CleanUser[]): Promise<User[]> {
    const users: NewUser[] = [];
    const ids = new Set<string>();
    for (const { password, ...fields } of rows) {
      let conferenceId = await this.freeConferenceId();
      while (ids.has(conferenceId)) conferenceId = await this.freeConferenceId();
      ids.add(conferenceId);
      users.push({
        id: randomUUID(),
        ...fields,
        passwordHash: password === null ? null : await this.deps.hasher.hash(password),
        assignedConferenceId: conferenceId,
      });
    }
    return this.write(() => this.deps.users.insertMany(users));
  }

  private async write<T>(fn: () => Promise<T | undefined>, id?: string): Promise<T> {
    try {
      const result = await fn();
      if (result === undefined) throw new DomainError('user-not-found', `no user ${id}`);
      return result;
    } catch (error) {
      if (error instanceof UniqueConflict && error.field in TAKEN_CODE) {
        const code = TAKEN_CODE[error.field as keyof typeof TAKEN_CODE];
        throw new DomainError(code, `${error.field} is taken (changed meanwhile); try again`);
      }
      throw error;
    }
  }

  private async freeConferenceId(): Promise<string> {
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const id = newNumericId(this.deps.random, CONFERENCE_ID_LENGTH);
      if (!(await this.deps.users.isConferenceIdInUse(id))) return id;
    }
    throw new DomainError('conference-id-exhausted', 'no free conference ID found; try again');
  }

  private async regionMap() {
    return new Map((await this.deps.regions.list()).map((region) => [region.code, region]));
  }
}

function describe(problems: readonly FieldProblem[]): string {
  return problems.map((p) => `${p.row === undefined ? '' : `row ${p.row}: `}${p.field}: ${p.message}`).join('; ');
}

function candidates(users: readonly CleanUser[]) {
  return {
    emails: users.map((u) => u.email),
    sipUris: users.map((u) => u.sipUri),
    extensions: users.flatMap((u) => (u.extension ? [u.extension] : [])),
  };
}

function takenProblems(user: CleanUser, taken: Awaited<ReturnType<UserStore['taken']>>, row?: number): FieldProblem[] {
  const at = row === undefined ? {} : { row };
  const problems: FieldProblem[] = [];
  if (taken.emails.has(user.email)) problems.push({ ...at, field: 'email', code: 'email-taken', message: `${user.email} belongs to another user` });
  if (taken.sipUris.has(user.sipUri)) problems.push({ ...at, field: 'sipUri', code: 'sip-uri-taken', message: `${user.sipUri} belongs to another user` });
  if (user.extension && taken.extensions.has(user.extension)) {
    problems.push({ ...at, field: 'extension', code: 'extension-taken', message: `extension ${user.extension} belongs to another user` });
  }
  return problems;
}

/** The same e-mail, SIP URI or extension twice in one file: the later rows are reported. */
function duplicatesWithin(rows: ReadonlyArray<{ row: number | undefined; user: CleanUser }>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = { email: new Map<string, number>(), sipUri: new Map<string, number>(), extension: new Map<string, number>() };
  for (const { row, user } of rows) {
    if (row === undefined) continue;
    for (const field of ['email', 'sipUri', 'extension'] as const) {
      const value = user[field];
      if (!value) continue;
      const first = seen[field].get(value);
      if (first === undefined) seen[field].set(value, row);
      else problems.push({ row, field, code: TAKEN_CODE[field], message: `${value} is also in row ${first}` });
    }
  }
  return problems;
}

function toInput(user: User): UserInput {
  return {
    displayName: user.displayName,
    email: user.email,
    sipUri: user.sipUri,
    extension: user.extension,
    phones: user.phones,
    region: user.region,
    role: user.role,
  };
}
