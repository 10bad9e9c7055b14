import { z } from 'zod';
import { Id } from './definition.schema.js';

export const CatalogStructure = z.strictObject({
  /** Every topic suggests at least three kinds of organization, strongest first. */
  topics: z.array(z.strictObject({ id: Id, partners: z.array(Id).min(3) })).min(1),
  partnerTypes: z.array(Id).min(1),
});
export type CatalogStructure = z.infer<typeof CatalogStructure>;

export const CatalogTexts = z.strictObject({
  topics: z.record(z.string(), z.strictObject({ name: z.string().min(1), examples: z.string().min(1) })),
  partners: z.record(z.string(), z.string().min(1)),
  /** Keyed `topic/partner`: why that kind of organization fits that topic. */
  reasons: z.record(z.string(), z.string().min(1)),
  /** Keyed by partner type: the invitation to add one ("Add a senior center you work with"). */
  invites: z.record(z.string(), z.string().min(1)),
});
export type CatalogTexts = z.infer<typeof CatalogTexts>;
