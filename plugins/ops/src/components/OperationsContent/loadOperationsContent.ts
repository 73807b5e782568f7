/**
 * The one dynamic import of the Operations tab's code, for the tab's
 * extensions (alpha.tsx, plugin.ts) and the Overview card's prefetch
 * (usePrefetchOperationsTab). They must share it: webpack makes an async
 * chunk per `import()` site and copies a module shared by two such chunks
 * into both when it is too small to be split out. With two sites the
 * prefetch loaded one copy of the tab and the click fetched and evaluated
 * the other.
 */
export const loadOperationsContent = () => import('./OperationsContent');
