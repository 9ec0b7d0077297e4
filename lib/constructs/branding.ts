import type * as cognito from 'aws-cdk-lib/aws-cognito';

/**
 * The project's branding for Cognito's managed login (version 2), per stage: our own logo, drawn here
 * as SVG, and a favicon. Stages other than prod carry their name under the logo, so nobody mistakes a
 * test sign-in page for the real one. Colours and layout keep Cognito's defaults (the accessible
 * defaults of the branding designer), so the style document has assets only.
 */
const INK = '#1f4e46';
const LEAF = '#5fa88f';

const mark = (x: number, y: number, size: number): string =>
  `<g transform="translate(${x} ${y}) scale(${size / 64})">` +
  `<circle cx="32" cy="32" r="30" fill="${LEAF}"/>` +
  `<path d="M18 40c8-20 22-24 30-24-2 14-10 26-26 26" fill="none" stroke="#ffffff" stroke-width="5" stroke-linecap="round"/>` +
  `</g>`;

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The logo above the sign-in form: mark, product name, and the stage name outside prod. */
export const formLogoSvg = (stage: string, text = INK): string => {
  const stageLine =
    stage === 'prod'
      ? ''
      : `<text x="84" y="66" font-family="Arial, sans-serif" font-size="16" fill="${text}">${escapeXml(`${stage} stage — not for real data`)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="80" viewBox="0 0 360 80" role="img" aria-label="Mental Health Analytics">` +
    mark(8, 8, 64) +
    `<text x="84" y="40" font-family="Arial, sans-serif" font-size="24" font-weight="bold" fill="${text}">Mental Health Analytics</text>` +
    stageLine +
    `</svg>`
  );
};

export const faviconSvg = (): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">${mark(0, 0, 64)}</svg>`;

const base64 = (svg: string): string => Buffer.from(svg, 'utf8').toString('base64');

/** The managed login assets of a stage's style (light and dark logo, a browser-adaptive favicon). */
export const managedLoginAssets = (stage: string): cognito.CfnManagedLoginBranding.AssetTypeProperty[] => [
  { category: 'FORM_LOGO', colorMode: 'LIGHT', extension: 'SVG', bytes: base64(formLogoSvg(stage)) },
  {
    category: 'FORM_LOGO',
    colorMode: 'DARK',
    extension: 'SVG',
    bytes: base64(formLogoSvg(stage, '#e8f3ef')),
  },
  { category: 'FAVICON_SVG', colorMode: 'DYNAMIC', extension: 'SVG', bytes: base64(faviconSvg()) },
];
