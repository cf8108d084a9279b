import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerSliderSurvey, EngagementRefused, surveyPeriod, type SliderSurvey } from '../../server/engagement/index.js';
import { balanceOf, entryForKey, ledgerKeys } from '../../server/ledger/index.js';
import type { TestApp } from '../support/app.js';
import { api, installShop, proxy } from '../support/shopify.js';
import { startEngagementApp } from './harness.js';

const coffee: SliderSurvey = {
  id: 'coffee',
  title: 'How was your coffee?',
  enabled: true,
  points: 40,
  periodDays: 30,
  questions: [
    { id: 'taste', label: 'Taste', low: 'Bland', high: 'Delicious' },
    { id: 'delivery', label: 'Delivery speed', low: 'Slow', high: 'Fast' },
  ],
};

interface SurveysView {
  version: number;
  surveys: SliderSurvey[];
  results: Array<{ id: string; responses: number; questions: Array<{ id: string; label: string; meanTenths: number | null; counts: number[] }> }>;
}

describe('slider surveys: settings, the launcher view, answers paid once per period (real database)', () => {
  let app: TestApp;
  let booted: TestApp;
  let close: () => Promise<void>;
  const shop = 'sliders.myshopify.com';
  const [ada, ben, cy] = [7_200_001, 7_200_002, 7_200_003];
  const answer = (customerId: number, answers: Record<string, number>, surveyId = 'coffee') =>
    proxy(app, shop, `/surveys/${surveyId}`, { customerId, method: 'POST', body: { answers } });
  const points = async (customerId: number) => (await balanceOf(app.ctx.connection, shop, String(customerId))).available;

  beforeAll(async () => {
    ({ app, booted, close } = await startEngagementApp('engagement-sliders'));
    await installShop(booted, shop);
  });
  afterAll(async () => {
    await close();
  });

  it('saves surveys as versions: an edit from an older version is refused, an invalid one names the field', async () => {
    expect(((await (await api(app, shop, '/engagement/surveys')).json()) as SurveysView).version).toBe(0);
    const saved = await api(app, shop, '/engagement/surveys', { method: 'PUT', body: { version: 0, surveys: [coffee] } });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ version: 1, surveys: [coffee] });
    const stale = await api(app, shop, '/engagement/surveys', { method: 'PUT', body: { version: 0, surveys: [] } });
    expect(stale.status).toBe(409);
    const invalid = await api(app, shop, '/engagement/surveys', { method: 'PUT', body: { version: 1, surveys: [{ ...coffee, id: 'nps' }] } });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { errors: Record<string, string> }).errors).toHaveProperty(['surveys.0.id']);
    expect(((await (await api(app, shop, '/engagement/surveys')).json()) as SurveysView).surveys).toEqual([coffee]);
  });

  it('the launcher view lists the survey until answered; the answer pays once, even sent 10 times at once', async () => {
    const viewOf = async (customerId: number) =>
      ((await (await proxy(app, shop, '/engagement', { customerId })).json()) as { surveys: Array<{ id: string; points: number }> }).surveys;
    expect(await viewOf(ada)).toEqual([expect.objectContaining({ id: 'coffee', points: 40, questions: coffee.questions })]);
    const before = await points(ada);
    const responses = await Promise.all(Array.from({ length: 10 }, () => answer(ada, { taste: 9, delivery: 4 })));
    expect(responses.map((response) => response.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(await points(ada)).toBe(before + 40);
    expect(await viewOf(ada)).toEqual([]);
    const period = surveyPeriod(new Date(), coffee.periodDays);
    expect((await entryForKey(app.ctx.connection, shop, ledgerKeys.surveyAnswered(String(ada), 'slider-coffee', period)))?.available).toBe(40);
  });

  it('refuses an answer that misses a question or leaves 0-10, and a survey that does not run', async () => {
    expect((await answer(ben, { taste: 7 })).status).toBe(422);
    expect((await answer(ben, { taste: 11, delivery: 3 })).status).toBe(422);
    expect((await answer(ben, { taste: 2.5, delivery: 3 })).status).toBe(422);
    expect((await answer(ben, { taste: 7 }, 'unknown')).status).toBe(422);
    expect(await points(ben)).toBe(0);
  });

  it('comes back the next period and pays again; the same period refuses', async () => {
    const now = new Date('2001-03-10T12:00:00Z');
    expect(await answerSliderSurvey(app.ctx, { shop, customerId: String(cy), surveyId: 'coffee', values: { taste: 6, delivery: 8 } }, now)).toEqual({
      points: 40,
      period: surveyPeriod(now, 30),
    });
    await expect(
      answerSliderSurvey(
        app.ctx,
        { shop, customerId: String(cy), surveyId: 'coffee', values: { taste: 1, delivery: 1 } },
        new Date(now.getTime() + 60_000),
      ),
    ).rejects.toBeInstanceOf(EngagementRefused);
    const later = new Date(now.getTime() + 30 * 86_400_000);
    expect(
      (await answerSliderSurvey(app.ctx, { shop, customerId: String(cy), surveyId: 'coffee', values: { taste: 10, delivery: 10 } }, later)).points,
    ).toBe(40);
    expect(await points(cy)).toBe(80);
  });

  it('results give each question its mean in tenths and the count of each value', async () => {
    expect((await answer(ben, { taste: 4, delivery: 10 })).status).toBe(201);
    const { results } = (await (await api(app, shop, '/engagement/surveys')).json()) as SurveysView;
    // The last 12 months hold Ada's (9, 4) and Ben's (4, 10); Cy answered in 2001.
    expect(results).toEqual([
      {
        id: 'coffee',
        responses: 2,
        questions: [
          { id: 'taste', label: 'Taste', meanTenths: 65, counts: [0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0] },
          { id: 'delivery', label: 'Delivery speed', meanTenths: 70, counts: [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1] },
        ],
      },
    ]);
  });
});
