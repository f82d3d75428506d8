import React from 'react';

// One style block for the whole page, scoped by the `ta-` prefix. Colours come from the host theme's
// CSS variables so the page follows whatever theme the admin uses; fallbacks cover a host without them.
const border = 'rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16)';
const subtle = 'rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.64)';
const hover = 'rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.04)';
const accent = 'var(--button-bg, #1c58d9)';
const danger = 'var(--error-text, #d24b4e)';

const css = `
.ta-page{color:var(--center-channel-color,#3f4350);font:inherit;max-width:100%;min-width:0}
.ta-frame{border:1px solid ${border};border-radius:8px;padding:16px 20px 20px;background:var(--center-channel-bg,#fff)}
.ta-page h3.ta-title{font-size:18px;font-weight:600;line-height:24px;margin:0 0 4px;padding:0;border:0}
.ta-page .ta-intro{font-size:13px;margin:0 0 16px}
.ta-page h3{font-size:14px;font-weight:600;line-height:20px;margin:0 0 8px;padding:0;border:0}
.ta-page p{margin:0 0 8px}
.ta-page *:focus-visible,.ta-dialog *:focus-visible{outline:2px solid ${accent};outline-offset:2px}
.ta-muted{color:${subtle}}
.ta-row{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.ta-tabs{display:flex;gap:4px;border-bottom:1px solid ${border};margin-bottom:16px}
.ta-tab{background:none;border:none;border-bottom:2px solid transparent;padding:8px 12px;color:${subtle};font:inherit;font-weight:600;cursor:pointer}
.ta-tab[aria-selected="true"]{color:${accent};border-bottom-color:${accent}}
.ta-btn{font:inherit;font-weight:600;font-size:12px;padding:6px 12px;border-radius:4px;border:1px solid ${border};background:var(--center-channel-bg,#fff);color:var(--center-channel-color,#3f4350);cursor:pointer;white-space:nowrap}
.ta-btn:hover:not(:disabled){background:${hover}}
.ta-btn:disabled{opacity:.5;cursor:not-allowed}
.ta-btn-primary{background:${accent};color:var(--button-color,#fff);border-color:${accent}}
.ta-btn-primary:hover:not(:disabled){background:${accent};filter:brightness(.92)}
.ta-btn-danger{color:${danger};border-color:${danger}}
.ta-btn-danger.ta-btn-primary{background:${danger};color:#fff}
.ta-btn-small{padding:2px 8px;font-size:11px}
.ta-input,.ta-select{font:inherit;font-size:13px;padding:6px 8px;border:1px solid ${border};border-radius:4px;background:var(--center-channel-bg,#fff);color:var(--center-channel-color,#3f4350)}
.ta-field{display:flex;flex-direction:column;gap:4px;font-size:12px;font-weight:600}
.ta-banner{padding:12px 16px;border-radius:4px;border:1px solid ${border};margin-bottom:12px}
.ta-banner-error{border-color:${danger};background:rgba(210,75,78,.08)}
.ta-banner-warning{border-color:var(--away-indicator,#ffbc1f);background:rgba(255,188,31,.12)}
.ta-summary{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:12px}
.ta-count{display:flex;flex-direction:column;align-items:flex-start;min-width:96px;padding:8px 12px;border:1px solid ${border};border-radius:4px;background:var(--center-channel-bg,#fff);color:inherit;font:inherit;cursor:pointer;text-align:left}
.ta-count[aria-pressed="true"]{border-color:${accent};box-shadow:inset 0 0 0 1px ${accent}}
.ta-count b{font-size:18px}
.ta-count span{font-size:11px;color:${subtle}}
.ta-toolbar{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end;margin-bottom:12px}
.ta-table-wrap{overflow-x:auto;border:1px solid ${border};border-radius:4px}
.ta-table{width:100%;table-layout:fixed;border-collapse:collapse;font-size:13px;margin:0}
.ta-table th,.ta-table td{padding:8px;border-bottom:1px solid ${border};text-align:left;vertical-align:top;overflow-wrap:anywhere}
.ta-table th{font-size:12px;line-height:18px;background:${hover}}
.ta-table input[type=checkbox]{margin:2px 0 0}
.ta-col-select{width:36px}
.ta-col-token{width:20%}
.ta-col-owner{width:20%}
.ta-col-status{width:11%}
.ta-col-activity{width:16%}
.ta-col-actions{width:84px}
.ta-table td>div+div{margin-top:2px;font-size:12px}
.ta-description{font-weight:600}
.ta-ellipsis{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.ta-table tbody tr:hover{background:${hover}}
.ta-sort{background:none;border:none;padding:0;font:inherit;font-weight:600;color:inherit;cursor:pointer;text-align:left}
.ta-sort[aria-pressed="true"]{color:${accent}}
.ta-owner{display:flex;gap:8px;align-items:flex-start;min-width:0}
.ta-owner-text{min-width:0;flex:1}
.ta-avatar{width:24px;height:24px;border-radius:50%;flex:none}
.ta-mono{font-family:monospace;font-size:12px}
.ta-badge{display:inline-block;font-size:10px;font-weight:600;text-transform:uppercase;padding:0 4px;margin-left:4px;border-radius:2px;background:rgba(var(--center-channel-color-rgb,63,67,80),.08)}
.ta-chips{display:flex;flex-wrap:wrap;gap:4px}
.ta-chip{font-size:11px;line-height:16px;padding:1px 6px;border-radius:10px;overflow-wrap:normal;background:rgba(var(--center-channel-color-rgb,63,67,80),.08)}
.ta-chip-risk{background:rgba(210,75,78,.12);color:${danger}}
.ta-chip-info{background:rgba(var(--button-bg-rgb,28,88,217),.12);color:${accent}}
.ta-state-active{color:var(--online-indicator,#06d6a0);font-weight:600}
.ta-actions{display:flex;flex-direction:column;align-items:stretch;gap:4px}
.ta-pager{display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between;padding:8px 0}
.ta-backdrop{position:fixed;inset:0;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center;z-index:10000}
.ta-dialog{background:var(--center-channel-bg,#fff);color:var(--center-channel-color,#3f4350);border-radius:8px;padding:24px;max-width:560px;width:calc(100% - 32px);max-height:80vh;overflow:auto;box-shadow:0 20px 32px rgba(0,0,0,.12)}
.ta-dialog h2{font-size:20px;margin:0 0 12px}
.ta-dialog-buttons{display:flex;justify-content:flex-end;gap:8px;margin-top:16px}
.ta-progress{width:240px;height:6px;border-radius:3px;background:${border};overflow:hidden}
.ta-progress div{height:100%;background:${accent};transition:width .2s}
.ta-section{border:1px solid ${border};border-radius:4px;padding:16px;margin-bottom:16px}
.ta-campaign{border:1px solid ${border};border-radius:4px;padding:16px;margin-bottom:16px}
.ta-campaign blockquote{font-size:13px;margin:0 0 8px;padding:4px 12px;border-left:3px solid ${border}}
.ta-section h3{font-size:14px;margin:0 0 12px}
.ta-section legend{font-size:14px;font-weight:600;border:0;width:auto;padding:0 4px;margin:0;color:inherit}
.ta-check{margin-bottom:8px}
.ta-check .ta-muted{padding-left:24px;font-size:12px}
.ta-search{min-width:240px}
.ta-table + .ta-toolbar{margin-top:12px}
.ta-diff{font-size:13px;margin:8px 0;padding-left:20px}
.ta-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

export function StyleSheet() {
    return <style>{css}</style>;
}
