// The entry points' way to fix where XMRig releases come from (their command-line flags, then the
// HASHDECK_XMRIG_* environment, then XMRig's GitHub and the pinned key). Never reachable from the API.
export {
  INSTALL_ENV,
  resolveInstallSource,
  type InstallSource,
  type InstallSourceOverrides,
} from '../core/install/source';
