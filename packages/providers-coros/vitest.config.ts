export { default } from '@pierre/vitest-config'
