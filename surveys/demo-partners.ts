/**
 * The demo's local partner directory: organizations of a made-up neighborhood around the demo
 * library, of many kinds, at every stage (an idea, contacted, active, a past partner), some with
 * programs already run together, and names and notes in the languages the neighborhood speaks.
 * Some suggested kinds are left out on purpose (a senior center for digital skills, an area
 * agency on aging for it too) so the dashboard shows its invitation to add one.
 * Program dates are days before the seed's end date (the clock is passed in, never read).
 */
import type { PartnerStatus } from './partner.schema.js';

export interface DemoPartner {
  name: string;
  type: string;
  topics: string[];
  status: PartnerStatus;
  contact?: string;
  email?: string;
  phone?: string;
  website?: string;
  address?: string;
  notes?: string;
  programs?: { daysAgo: number; title: string; notes?: string }[];
}

export const DEMO_PARTNERS: readonly DemoPartner[] = [
  { name: 'Fields Corner Senior Center', type: 'senior-centers', topics: ['health-wellness', 'community-events'], status: 'active', contact: 'Dolores Whitfield', phone: '617-555-0141', address: '1 Arcadia Street', notes: 'Lunch crowd of about 60 on weekdays; mornings work best for talks.', programs: [{ daysAgo: 118, title: 'Blood pressure checks and a healthy-habits talk' }, { daysAgo: 41, title: 'Chair yoga, six weeks', notes: 'Full every week; they asked for a second series.' }] },
  { name: 'Harbor Area Agency on Aging', type: 'aging-agencies', topics: ['health-wellness'], status: 'contacted', contact: 'Raymond Chu', email: 'rchu@harbor-aging.example', notes: 'Interested in funding a fall-prevention class; their grant cycle opens in spring.' },
  { name: 'Dorchester Community Health Center', type: 'health-agencies', topics: ['health-wellness'], status: 'active', website: 'https://dch-center.example', phone: '617-555-0110', programs: [{ daysAgo: 203, title: 'Neighborhood health fair', notes: '14 tables, flu shots, about 300 visitors.' }] },
  { name: 'Engine 21 Fire Station', type: 'fire-department', topics: ['health-wellness', 'early-literacy', 'public-safety'], status: 'active', contact: 'Lt. Sam Barros', programs: [{ daysAgo: 29, title: "Fire fighters' storytime" }, { daysAgo: 310, title: 'Smoke alarm day' }] },
  { name: 'Centro Latino de Empleo', type: 'workforce-agencies', topics: ['job-skills', 'financial-literacy'], status: 'active', contact: 'Ana Rivera', email: 'ana.rivera@centrolatino.example', phone: '617-555-0172', notes: 'Ofrecen talleres de currículum en español los martes por la tarde. Pueden traer a una asesora financiera.', programs: [{ daysAgo: 63, title: 'Taller de currículum y entrevistas', notes: '22 participantes; pidieron otro en otoño.' }] },
  { name: 'Asosyasyon Fanmi Ayisyen', type: 'immigrant-services', topics: ['esl-citizenship', 'cultural-heritage'], status: 'contacted', contact: 'Madan Marie Joseph', phone: '617-555-0188', notes: 'Yo ka ede ak klas angle ak preparasyon pou egzamen sitwayènte. Rele apre 4è.' },
  { name: 'Hội Người Việt Dorchester', type: 'cultural-organizations', topics: ['cultural-heritage', 'community-events'], status: 'active', contact: 'Nguyễn Thị Lan', notes: 'Tổ chức Tết Trung Thu hằng năm; có thể kể chuyện song ngữ cho trẻ em.', programs: [{ daysAgo: 84, title: 'Mid-Autumn lantern storytelling', notes: 'Bilingual, Vietnamese and English.' }] },
  { name: '华人社区服务中心', type: 'immigrant-services', topics: ['esl-citizenship'], status: 'idea', notes: '提供中文的入籍考试辅导，可以合作开设英语会话课。' },
  { name: 'Bunker Hill Community College Library', type: 'academic-libraries', topics: ['job-skills', 'esl-citizenship', 'homework-tutoring'], status: 'active', website: 'bhcc-library.example', programs: [{ daysAgo: 152, title: 'Career pathways information night' }] },
  { name: 'Lee Elementary School', type: 'schools', topics: ['early-literacy', 'homework-tutoring', 'outreach-access', 'reading-culture', 'coding-tech'], status: 'active', contact: 'Principal Grace Owens', programs: [{ daysAgo: 19, title: 'Pop-up library at family night' }, { daysAgo: 240, title: 'Spring book fair' }] },
  { name: 'Burke High School Library', type: 'school-library-media-specialists', topics: ['homework-tutoring', 'caregiver-workshops'], status: 'contacted', contact: 'Chidinma Okafor', email: 'c.okafor@burke-hs.example', notes: 'Would co-teach a session for parents on finding reliable information.' },
  { name: 'Savin Hill Books', type: 'bookstores', topics: ['reading-culture'], status: 'past', notes: 'The owner retired and the shop closed in the spring.', programs: [{ daysAgo: 410, title: 'Author signing: local poets' }] },
  { name: 'Neighborhood Credit Union', type: 'banks', topics: ['financial-literacy'], status: 'idea', website: 'https://ncu-dorchester.example' },
  { name: 'Codeworks Boston', type: 'tech-companies', topics: ['coding-tech', 'digital-literacy'], status: 'contacted', contact: 'Priya Raman', email: 'priya@codeworks.example', notes: 'Volunteers could mentor a teen coding club; asked for a room with a projector.' },
  { name: 'Dorchester 4-H Club', type: 'youth-clubs', topics: ['teen-programs', 'sustainability', 'coding-tech'], status: 'active', programs: [{ daysAgo: 55, title: 'Robotics Saturday' }] },
  { name: 'Schoolyard Garden Collective', type: 'environmental-groups', topics: ['sustainability'], status: 'idea', notes: 'Runs repair cafes in other branches.' },
  { name: 'Panadería La Esperanza', type: 'local-businesses', topics: ['community-events', 'reading-culture', 'teen-programs'], status: 'active', contact: 'Luis Ortega', notes: 'Donan pan dulce para el club de lectura en español.', programs: [{ daysAgo: 13, title: 'Club de lectura en español: refrigerios' }] },
  { name: "Upham's Corner Community Center", type: 'community-centers', topics: ['outreach-access', 'early-literacy', 'caregiver-workshops', 'digital-literacy'], status: 'active', phone: '617-555-0133', programs: [{ daysAgo: 96, title: 'Phone and tablet help hours' }] },
  { name: 'Dorchester Arts Council', type: 'artists', topics: ['arts-crafts', 'cultural-heritage'], status: 'past', programs: [{ daysAgo: 520, title: 'Local artists exhibition' }] },
  { name: 'Main Streets Business Association', type: 'business-associations', topics: ['job-skills'], status: 'idea' },
  { name: 'Police District C-11 Community Unit', type: 'police-department', topics: ['public-safety'], status: 'contacted', contact: 'Officer Dana Kim', notes: 'Residents of 02121 asked for a community meeting about safety.' },
  { name: 'Friends of the Library Foundation', type: 'foundations', topics: ['outreach-access', 'esl-citizenship', 'community-events'], status: 'active', programs: [{ daysAgo: 365, title: 'Bookmobile fundraiser' }] },
];
