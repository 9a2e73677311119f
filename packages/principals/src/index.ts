export type { Principal, StartedSession } from "./principals.js";
export {
  generateToken,
  hashToken,
  isValidScope,
  PRINCIPALS_STREAM,
  PrincipalRegistry,
  PrincipalRequestRefused,
  resetAdminToken,
} from "./principals.js";
