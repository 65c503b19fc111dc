import { DomainError } from '../domain/errors.js';
import { isLocale, LOCALES, MAX_SECONDARY_LANGUAGES } from '../domain/locales.js';
import { requireAdmin, type Principal } from '../domain/user.js';
import { UniqueConflict, type Region, type RegionStore } from '../ports/directory-store.js';
import type { AccessNumber, AccessNumberStore } from '../ports/store.js';

export interface AccessNumberInput {
  readonly number: string;
  readonly display: string;
  readonly region: string;
  readonly primaryLanguage: string;
  readonly secondaryLanguages?: readonly string[];
}

/** Regions and their access numbers, as the seed's pools: administrators manage them, everyone reads them. */
export class DialInNumbers {
  constructor(private readonly deps: { regions: RegionStore; accessNumbers: AccessNumberStore }) {}

  /** The dial-in block of an invitation: the organiser's region first, then the others. */
  async forRegion(region: string | undefined): Promise<AccessNumber[]> {
    const all = await this.deps.accessNumbers.list();
    return [...all.filter((n) => n.region === region), ...all.filter((n) => n.region !== region)];
  }

  list(): Promise<AccessNumber[]> {
    return this.deps.accessNumbers.list();
  }

  async create(principal: Principal, input: AccessNumberInput): Promise<AccessNumber> {
    requireAdmin(principal);
    const accessNumber = await this.checked(input);
    try {
      return await this.deps.accessNumbers.insert(accessNumber);
    } catch (error) {
      if (error instanceof UniqueConflict) throw new DomainError('access-number-taken', `${input.number} exists`);
      throw error;
    }
  }

  async update(principal: Principal, number: string, input: Partial<Omit<AccessNumberInput, 'number'>>): Promise<AccessNumber> {
    requireAdmin(principal);
    const current = await this.deps.accessNumbers.get(number);
    if (!current) throw new DomainError('access-number-not-found', `no access number ${number}`);
    const [primary, ...secondary] = current.languages;
    const merged = await this.checked({
      number,
      display: input.display ?? current.display,
      region: input.region ?? current.region,
      primaryLanguage: input.primaryLanguage ?? primary!,
      secondaryLanguages: input.secondaryLanguages ?? secondary,
    });
    return (await this.deps.accessNumbers.update(number, merged))!;
  }

  async remove(principal: Principal, number: string): Promise<void> {
    requireAdmin(principal);
    if (!(await this.deps.accessNumbers.remove(number))) throw new DomainError('access-number-not-found', `no access number ${number}`);
  }

  listRegions(): Promise<Region[]> {
    return this.deps.regions.list();
  }

  async createRegion(principal: Principal, region: Region): Promise<Region> {
    requireAdmin(principal);
    try {
      return await this.deps.regions.insert(region);
    } catch (error) {
      if (error instanceof UniqueConflict) throw new DomainError('region-taken', `region ${region.code} exists`);
      throw error;
    }
  }

  async updateRegion(principal: Principal, code: string, changes: Partial<Omit<Region, 'code'>>): Promise<Region> {
    requireAdmin(principal);
    const region = await this.deps.regions.update(code, changes);
    if (!region) throw new DomainError('region-not-found', `no region ${code}`);
    return region;
  }

  async removeRegion(principal: Principal, code: string): Promise<void> {
    requireAdmin(principal);
    const removed = await this.deps.regions.remove(code);
    if (removed === 'in-use') throw new DomainError('region-in-use', `users or access numbers still belong to ${code}`);
    if (!removed) throw new DomainError('region-not-found', `no region ${code}`);
  }

  private async checked(input: AccessNumberInput): Promise<AccessNumber> {
    const secondary = [...(input.secondaryLanguages ?? [])];
    const languages = [input.primaryLanguage, ...secondary];
    const unknown = languages.filter((l) => !isLocale(l));
    if (unknown.length > 0) throw new DomainError('validation-failed', `unknown language ${unknown.join(', ')}; use one of ${LOCALES.join(', ')}`);
    if (secondary.length > MAX_SECONDARY_LANGUAGES) throw new DomainError('validation-failed', `at most ${MAX_SECONDARY_LANGUAGES} secondary languages`);
    if (new Set(languages).size !== languages.length) throw new DomainError('validation-failed', 'a language is listed twice');
    if (!(await this.deps.regions.get(input.region))) throw new DomainError('unknown-region', `no region ${input.region}`);
    return { number: input.number, display: input.display, region: input.region, languages };
  }
}
